package bulk

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"
)

// Executor runs operations over many keys with the options it was built
// with. It is safe for concurrent use; a rate limit set in New is shared by
// all its calls. The zero value is not usable: call New.
type Executor struct {
	cfg     config
	limiter *rate.Limiter
}

// New returns an Executor with the given defaults; each call may override
// them with options of its own.
func New(opts ...Option) *Executor {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return &Executor{cfg: cfg, limiter: newLimiter(cfg.rate)}
}

// Concurrency returns the executor's default concurrency.
func (e *Executor) Concurrency() int { return e.cfg.concurrency }

// Run applies op to every distinct key with bounded concurrency and returns
// one Result per input key, in input order. See the package documentation for
// its guarantees. op may be nil only in a dry run.
func Run(ctx context.Context, keys []string, op Op, opts ...Option) Results {
	return New(opts...).Run(ctx, keys, op)
}

// Run applies op to every distinct key with the executor's options, as
// overridden by opts, and returns one Result per input key, in input order.
func (e *Executor) Run(ctx context.Context, keys []string, op Op, opts ...Option) Results {
	cfg := e.cfg
	for _, o := range opts {
		o(&cfg)
	}
	lim := e.limiter
	if cfg.rate != e.cfg.rate {
		lim = newLimiter(cfg.rate)
	}
	r := &run{cfg: cfg, limiter: lim, op: op}
	return r.execute(ctx, keys)
}

// Plan is a dry run: it applies check to every distinct key, as Run would
// apply an operation guarded by it, and never calls any operation. A key's
// Result is OK when the check admits it now.
func (e *Executor) Plan(ctx context.Context, keys []string, check Op, opts ...Option) Results {
	opts = append(opts[:len(opts):len(opts)], WithCheck(check), WithDryRun(true))
	return e.Run(ctx, keys, nil, opts...)
}

// run is the state of one Run call.
type run struct {
	cfg     config
	limiter *rate.Limiter
	op      Op

	mu    sync.Mutex // serializes progress calls and guards done
	done  int
	total int
}

func (r *run) execute(ctx context.Context, keys []string) Results {
	// Distinct keys in first-seen order; pos maps each input position to its
	// distinct key, so duplicates share one Result.
	first := make(map[string]int, len(keys))
	pos := make([]int, len(keys))
	distinct := make([]string, 0, len(keys))
	for i, k := range keys {
		j, seen := first[k]
		if !seen {
			j = len(distinct)
			first[k] = j
			distinct = append(distinct, k)
		}
		pos[i] = j
	}
	r.total = len(distinct)
	out := make(Results, len(distinct))

	var g errgroup.Group
	g.SetLimit(r.cfg.concurrency)
	for i, k := range distinct {
		if err := ctx.Err(); err != nil {
			out[i] = Result{Key: k, Err: err}
			r.finished(out[i])
			continue
		}
		// Go blocks while the limit is reached; in-flight operations see
		// ctx canceled and return, so scheduling resumes promptly and the
		// check above reports the rest.
		g.Go(func() error {
			out[i] = r.one(ctx, k)
			r.finished(out[i])
			return nil
		})
	}
	_ = g.Wait() // the goroutines never return an error: failures live in out

	if len(distinct) == len(keys) {
		return out
	}
	full := make(Results, len(keys))
	for i, j := range pos {
		full[i] = out[j]
	}
	return full
}

// one runs every attempt for one key.
func (r *run) one(ctx context.Context, key string) Result {
	res := Result{Key: key}
	if err := ctx.Err(); err != nil {
		// Admitted by the group just as ctx ended: never started.
		res.Err = err
		return res
	}
	start := time.Now()
	for {
		if err := waitTurn(ctx, r.limiter); err != nil {
			if res.Attempts == 0 {
				res.Err = err
			} else {
				res.Err = canceledAfter(err, res.Err)
			}
			break
		}
		res.Attempts++
		res.Err = r.attempt(ctx, key)
		if res.Err == nil {
			break
		}
		delay, again := r.cfg.retryDelay(ctx, res.Err, res.Attempts)
		if !again {
			break
		}
		if err := sleep(ctx, delay); err != nil {
			res.Err = canceledAfter(err, res.Err)
			break
		}
	}
	res.Duration = time.Since(start)
	return res
}

// attempt runs the check, then the operation unless this is a dry run.
func (r *run) attempt(ctx context.Context, key string) error {
	if r.cfg.check != nil {
		if err := r.cfg.check(ctx, key); err != nil {
			return err
		}
	}
	if r.cfg.dryRun || r.op == nil {
		if !r.cfg.dryRun {
			return errNilOp
		}
		return nil
	}
	return r.op(ctx, key)
}

func (r *run) finished(res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	if r.cfg.onResult != nil {
		r.cfg.onResult(res)
	}
	if r.cfg.progress != nil {
		r.cfg.progress(r.done, r.total)
	}
}
