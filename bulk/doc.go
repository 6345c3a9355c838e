// Package bulk runs one operation over many keys with bounded concurrency
// and reports one Result per key.
//
// It is the engine behind every multi-instance call of perspective.Cloud, but
// it knows nothing about clouds: the caller supplies the operation, and tells
// the executor which errors are worth retrying (WithRetryable) and how long the
// server asked it to wait (WithRetryAfter).
//
// The guarantees, whatever happens:
//
//   - one Result per input key, in input order; a key that appears more than
//     once is acted on once and every one of its positions gets that Result;
//   - a failure never stops the other keys;
//   - when ctx is canceled no new key is started, and every key that was not
//     started is reported with ctx.Err() (Attempts == 0): nothing is dropped;
//     under a rate limit (WithRate) a key whose turn would come after ctx's
//     deadline is reported so at once, with an error wrapping
//     context.DeadlineExceeded;
//   - only errors the caller classifies as retryable are retried, with
//     exponential backoff and jitter, never sooner than the retry-after the
//     error carries;
//   - every goroutine Run starts has returned when Run returns.
//
// A typical use:
//
//	ex := bulk.New(
//		bulk.WithConcurrency(20),
//		bulk.WithRetry(3, 200*time.Millisecond),
//		bulk.WithRetryable(isTransient),
//		bulk.WithRetryAfter(retryAfter),
//	)
//	results := ex.Run(ctx, ids, func(ctx context.Context, id string) error {
//		return client.Reboot(ctx, id)
//	}, bulk.WithProgress(func(done, total int) { bar.Set(done) }))
//	if err := results.Err(); err != nil {
//		log.Printf("%d of %d failed: %v", len(results.Failed()), len(results), err)
//	}
//
// A dry run uses the same machinery with a check instead of the operation:
// pass WithCheck and WithDryRun(true), and each key reports whether the check
// admits it, without the operation being called.
package bulk
