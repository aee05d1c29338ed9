// Settling a binding's promise from a tracked task, with exactly the values
// and error objects the stock FSReqPromise path produces.
//
//   PromiseSettler settler(env, args);   // args' return value: the promise
//   ... in the coroutine ...
//   if (err < 0) co_return settler.RejectUV(err, "stat", path.c_str());
//   settler.Resolve([&](Environment* env) { return MakeTheResult(env); });
//
// Every method checks env->can_call_into_js() first and does nothing once
// Environment teardown began: the promise is left pending, as stock leaves
// an FSReqPromise unsettled then. Each opens its own HandleScope, so it may
// be called from any segment of the task.

#ifndef SRC_CORO_NODE_PROMISE_H_
#define SRC_CORO_NODE_PROMISE_H_

#if defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#include "env.h"
#include "v8.h"

namespace node {
namespace coro {

class PromiseSettler {
 public:
  // Creates the resolver and sets args' return value to its promise.
  PromiseSettler(Environment* env,
                 const v8::FunctionCallbackInfo<v8::Value>& args);
  PromiseSettler(PromiseSettler&&) = default;
  PromiseSettler(const PromiseSettler&) = delete;
  PromiseSettler& operator=(const PromiseSettler&) = delete;

  // Resolves with what `make(env)` returns (a v8::MaybeLocal<v8::Value> or
  // something convertible); called only if JavaScript can be called, inside
  // a HandleScope. If it returns nothing because an exception was thrown
  // (out of memory for a Buffer, a string too long), the promise is
  // rejected with that exception instead.
  template <typename Make>
  inline void Resolve(Make&& make);
  void ResolveUndefined();

  // Rejects with UVException(err, syscall, nullptr, path, dest): a plain
  // Error whose keys are errno, code, syscall[, path][, dest], and whose
  // message is "CODE: description, syscall 'path' -> 'dest'", as stock.
  void RejectUV(int err,
                const char* syscall,
                const char* path = nullptr,
                const char* dest = nullptr);
  void Reject(v8::Local<v8::Value> error);
  // Rejects with what `make(env)` returns, built as for Resolve().
  template <typename Make>
  inline void RejectWith(Make&& make);

  Environment* env() const { return env_; }
  bool settled() const { return resolver_.IsEmpty(); }

 private:
  bool CanSettle() const;
  void ResolveWith(v8::Local<v8::Value> value);

  Environment* env_;
  v8::Global<v8::Promise::Resolver> resolver_;
};

template <typename Make>
void PromiseSettler::Resolve(Make&& make) {
  if (!CanSettle())
    return;
  v8::HandleScope handle_scope(env_->isolate());
  v8::TryCatch try_catch(env_->isolate());
  v8::Local<v8::Value> value;
  if (!v8::MaybeLocal<v8::Value>(make(env_)).ToLocal(&value)) {
    if (try_catch.HasCaught() && !try_catch.HasTerminated())
      Reject(try_catch.Exception());
    return;
  }
  ResolveWith(value);
}

template <typename Make>
void PromiseSettler::RejectWith(Make&& make) {
  if (!CanSettle())
    return;
  v8::HandleScope handle_scope(env_->isolate());
  v8::Local<v8::Value> error;
  if (!v8::MaybeLocal<v8::Value>(make(env_)).ToLocal(&error))
    return;
  Reject(error);
}

}  // namespace coro
}  // namespace node

#endif  // defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#endif  // SRC_CORO_NODE_PROMISE_H_
