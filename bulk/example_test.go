package bulk_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perspective-cloud/sdk/bulk"
)

// A bulk reboot: one result per id, in input order, the duplicate acted on
// once, a transient failure retried, a permanent one reported.
func ExampleRun() {
	errNotFound := errors.New("not found")
	flaky := true
	reboot := func(_ context.Context, id string) error {
		switch id {
		case "vm-2":
			if flaky {
				flaky = false
				return &transientError{key: id}
			}
		case "vm-3":
			return errNotFound
		}
		return nil
	}

	results := bulk.Run(context.Background(), []string{"vm-1", "vm-2", "vm-3", "vm-1"}, reboot,
		bulk.WithConcurrency(1),
		bulk.WithRetry(3, time.Millisecond),
		bulk.WithRetryable(isTransient))
	for _, r := range results {
		fmt.Printf("%s attempts=%d err=%v\n", r.Key, r.Attempts, r.Err)
	}
	fmt.Println(results.Succeeded(), "of", len(results), "succeeded")
	// Output:
	// vm-1 attempts=1 err=<nil>
	// vm-2 attempts=2 err=<nil>
	// vm-3 attempts=1 err=not found
	// vm-1 attempts=1 err=<nil>
	// 3 of 4 succeeded
}

// A dry run asks the check only: the operation is never called.
func ExampleExecutor_Plan() {
	state := map[string]string{"vm-1": "shutoff", "vm-2": "launched"}
	canReboot := func(_ context.Context, id string) error {
		if state[id] != "launched" {
			return fmt.Errorf("cannot reboot %s: it is %s", id, state[id])
		}
		return nil
	}
	for _, r := range bulk.New().Plan(context.Background(), []string{"vm-1", "vm-2"}, canReboot) {
		fmt.Printf("%s admitted=%v\n", r.Key, r.OK())
	}
	// Output:
	// vm-1 admitted=false
	// vm-2 admitted=true
}

// The aggregate error names every failed key.
func ExampleResults_Err() {
	results := bulk.Run(context.Background(), []string{"a", "b"}, func(_ context.Context, id string) error {
		if id == "b" {
			return errors.New("quota exceeded")
		}
		return nil
	})
	fmt.Println(results.Err())
	// Output:
	// 1 error occurred:
	// 	* b: quota exceeded
}
