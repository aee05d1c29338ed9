#include "coro/node/promise.h"

#include "env-inl.h"
#include "node.h"
#include "util-inl.h"

namespace node {
namespace coro {

using v8::Context;
using v8::FunctionCallbackInfo;
using v8::HandleScope;
using v8::Local;
using v8::Promise;
using v8::Undefined;
using v8::Value;

PromiseSettler::PromiseSettler(Environment* env,
                               const FunctionCallbackInfo<Value>& args)
    : env_(env) {
  Local<Promise::Resolver> resolver;
  // Fails only with an exception pending (out of memory, termination);
  // then there is no promise to return, and nothing will be settled.
  if (!Promise::Resolver::New(env->context()).ToLocal(&resolver))
    return;
  resolver_.Reset(env->isolate(), resolver);
  args.GetReturnValue().Set(resolver->GetPromise());
}

bool PromiseSettler::CanSettle() const {
  return !resolver_.IsEmpty() && env_->can_call_into_js();
}

void PromiseSettler::ResolveWith(Local<Value> value) {
  Local<Context> context = env_->context();
  Local<Promise::Resolver> resolver = resolver_.Get(env_->isolate());
  resolver_.Reset();
  USE(resolver->Resolve(context, value));
}

void PromiseSettler::ResolveUndefined() {
  if (!CanSettle())
    return;
  HandleScope handle_scope(env_->isolate());
  ResolveWith(Undefined(env_->isolate()));
}

void PromiseSettler::Reject(Local<Value> error) {
  if (!CanSettle())
    return;
  Local<Context> context = env_->context();
  Local<Promise::Resolver> resolver = resolver_.Get(env_->isolate());
  resolver_.Reset();
  USE(resolver->Reject(context, error));
}

void PromiseSettler::RejectUV(int err,
                              const char* syscall,
                              const char* path,
                              const char* dest) {
  if (!CanSettle())
    return;
  HandleScope handle_scope(env_->isolate());
  Reject(UVException(env_->isolate(), err, syscall, nullptr, path, dest));
}

}  // namespace coro
}  // namespace node
