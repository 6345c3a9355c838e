package perspective

import (
	"context"

	"github.com/perspective-cloud/sdk/bulk"
)

// runItems runs fn once per distinct non-empty key of a bulk call on
// objects of kind (images, keypairs) and returns the call's report: one
// result per key, in input order. As each distinct key is done, the call's
// OnResult and Progress are told its classified result, serialized, exactly
// once. An empty key fails in the report as an invalid argument (arg names
// the parameter) without a call to the cloud and is not counted in the
// progress total, as for instance operations.
func runItems(ctx context.Context, ex *bulk.Executor, op Operation, kind Kind, arg string,
	keys []string, call callOptions, fn func(ctx context.Context, key string) error) *Report {
	uniq := dedupe(keys)
	tick := call.tracker(len(uniq))
	// Written under the executor's serialized result callback, read after
	// Run has waited for every item.
	done := make(map[string]Result, len(uniq))
	runBulk(ctx, ex, uniq, call, func(br bulk.Result) {
		r := Result{ID: br.Key, Attempts: br.Attempts, Duration: br.Duration,
			Err: classify(br.Err, op, kind, br.Key)}
		done[br.Key] = r
		tick(&r)
	}, fn)
	rep := &Report{Op: op, Results: make([]Result, len(keys))}
	for i, k := range keys {
		if k == "" {
			rep.Results[i] = Result{Err: invalidArg(op, arg, "item %d is empty", i)}
			continue
		}
		rep.Results[i] = done[k]
	}
	return rep
}
