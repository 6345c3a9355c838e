package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// confirmer confirms resizes: seed 004's resize ends when the instance
// runs on its new flavor, while the library's waits in verify_resize for a
// confirmation. It owns the goroutines that wait, and Close stops them.
type confirmer struct {
	set     *perspective.Set
	log     *slog.Logger
	timeout time.Duration
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func newConfirmer(set *perspective.Set, log *slog.Logger) *confirmer {
	ctx, cancel := context.WithCancel(context.Background())
	return &confirmer{set: set, log: log, timeout: 30 * time.Minute, ctx: ctx, cancel: cancel}
}

// After waits, in the background, for the resized instance id to reach
// verify_resize, and confirms the resize.
func (c *confirmer) After(id string) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
		defer cancel()
		is := c.set.Instances()
		_, err := is.WaitFor(ctx, []string{id}, perspective.StateVerifyResize, perspective.StateLaunched, perspective.StateShutoff)
		if err == nil {
			var inst perspective.Instance
			if inst, err = is.Get(ctx, id); err == nil && inst.State == perspective.StateVerifyResize {
				_, err = is.ConfirmResize(ctx, id)
			}
		}
		if err != nil && ctx.Err() == nil {
			c.log.Error("resize confirmation failed", "instance", id, "error", err)
		}
	}()
}

// Close stops the waits still running and waits for them to end.
func (c *confirmer) Close() {
	c.cancel()
	c.wg.Wait()
}
