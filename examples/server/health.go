package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// This file says whether the server is healthy for GET /ping: a cloud is
// down when it does not answer, or when its inventory (the copy of its
// instances every read is served from) has stopped syncing, since the
// server then answers from an old picture.

// Defaults of health.
const (
	// staleSyncs is how many sync intervals an inventory may fail for.
	staleSyncs = 5
	// defaultStuckFor is longer than the library lets one sync run (5
	// minutes), so that a long full listing is not taken for a hung one.
	defaultStuckFor = 6 * time.Minute
)

// health says when GET /ping calls a cloud's inventory stale.
type health struct {
	// failingFor: the inventory's syncs fail and it last synced longer
	// ago than this (default staleSyncs × perspective.DefaultSyncInterval,
	// the interval the server's clouds sync on).
	failingFor time.Duration
	// stuckFor: it last synced longer ago than this, failing or not (a
	// sync hung, or the loop stopped); default defaultStuckFor.
	stuckFor time.Duration
}

// stale returns why the inventory whose stats st are is stale, or nil.
func (h health) stale(cloudID string, st perspective.SyncStats) error {
	failingFor, stuckFor := h.failingFor, h.stuckFor
	if failingFor <= 0 {
		failingFor = staleSyncs * perspective.DefaultSyncInterval
	}
	if stuckFor <= 0 {
		stuckFor = defaultStuckFor
	}
	switch {
	case !st.Synced && st.LastError != nil:
		return fmt.Errorf("cloud %s: its instances were never read (%d attempts): %w", cloudID, st.Failures, st.LastError)
	case st.Synced && st.LastError != nil && st.Lag > failingFor:
		return fmt.Errorf("cloud %s: its instances have not synced for %s (%d intervals or more): %w",
			cloudID, st.Lag.Round(time.Millisecond), staleSyncs, st.LastError)
	case st.Synced && st.Lag > stuckFor:
		return fmt.Errorf("cloud %s: its instances have not synced for %s (a sync is hung)", cloudID, st.Lag.Round(time.Second))
	}
	return nil
}

// recent reports whether the inventory synced lately without error: the
// cloud answered then, and /ping need not ask it again.
func (h health) recent(st perspective.SyncStats) bool {
	failingFor := h.failingFor
	if failingFor <= 0 {
		failingFor = staleSyncs * perspective.DefaultSyncInterval
	}
	return st.Synced && st.LastError == nil && st.Lag <= failingFor
}

// checkClouds returns what is wrong with each cloud of d.set (nil for a
// healthy one): a stale inventory, or a ping that fails. A cloud whose
// inventory synced lately costs no request.
func (d *deps) checkClouds(ctx context.Context) []error {
	cs := d.set.Clouds()
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		st := c.SyncStats()
		if errs[i] = d.health.stale(c.Info().CloudID, st); errs[i] != nil || d.health.recent(st) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			one, err := perspective.NewSet(c)
			if err == nil {
				err = one.Ping(ctx)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errs
}

// handlePing serves GET /ping: 200 while every cloud answers and its
// inventory syncs; 200 with a "degraded" body naming the others while
// some do; 503 when none does (for load balancer checks).
func handlePing(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), pingTimeout)
		defer cancel()
		errs := d.checkClouds(ctx)
		failed := 0
		for _, err := range errs {
			if err != nil {
				failed++
			}
		}
		err := errors.Join(errs...)
		switch {
		case failed == 0:
			w.WriteHeader(http.StatusOK)
		case failed < len(errs):
			// Some clouds answer: the API works, for them.
			encode(w, http.StatusOK, errorBody{Code: "degraded", Message: err.Error()})
		default:
			writeError(w, &apiError{status: http.StatusServiceUnavailable, code: "unavailable", msg: err.Error()})
		}
	})
}

// warmInventories starts reading every cloud's instances in the
// background (the first full listing, then the sync loop that keeps the
// inventory current), so that neither the first page nor /ping waits for
// it and /ping sees a cloud whose instances cannot be read. The function
// it returns waits for those first reads; ctx ending cancels them.
func warmInventories(ctx context.Context, set *perspective.Set) (wait func()) {
	var wg sync.WaitGroup
	for _, c := range set.Clouds() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Sync(ctx) // a failure shows in c.SyncStats, and so in /ping
		}()
	}
	return wg.Wait
}
