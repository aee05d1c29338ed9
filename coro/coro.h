// The whole coroutine layer in one include. See coro/README.md.

#ifndef SRC_CORO_CORO_H_
#define SRC_CORO_CORO_H_

#include "coro/cancel_token.h"
#include "coro/frame_allocator.h"
#include "coro/task_list.h"
#include "coro/uv_file.h"
#include "coro/uv_fs.h"
#include "coro/uv_getaddrinfo.h"
#include "coro/uv_result.h"
#include "coro/uv_task.h"
#include "coro/uv_batch.h"
#include "coro/uv_timer.h"
#include "coro/uv_work.h"

#endif  // SRC_CORO_CORO_H_
