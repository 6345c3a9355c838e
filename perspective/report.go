package perspective

import (
	"encoding/json"
	"time"

	"github.com/hashicorp/go-multierror"
)

// Result is the outcome of one item of a bulk call.
type Result struct {
	// ID is the item's id: the instance's global id (for a launch, the new
	// instance's, or empty when it failed), an image id or a keypair name.
	ID string
	// Err is nil on success, and otherwise a classified error naming the item.
	Err error
	// Instance, Image and Address carry what the operation produced, if anything:
	// the launched instance, the snapshot image, the floating IP added.
	Instance *Instance
	Image    *Image
	Address  string
	// Usage is the instance's usage series (UsageOf).
	Usage *UsageSeries
	// Attempts is how many times the operation was tried (0 if never, e.g.
	// refused by the state machine); Duration is the time spent on the item.
	Attempts int
	Duration time.Duration
}

// OK reports whether the item succeeded.
func (r Result) OK() bool { return r.Err == nil }

// MarshalJSON renders a result with its error as a code and a message.
func (r Result) MarshalJSON() ([]byte, error) {
	type out struct {
		ID         string       `json:"id"`
		OK         bool         `json:"ok"`
		Code       string       `json:"code,omitempty"`
		Error      string       `json:"error,omitempty"`
		Instance   *Instance    `json:"instance,omitempty"`
		Image      *Image       `json:"image,omitempty"`
		Address    string       `json:"address,omitempty"`
		Usage      *UsageSeries `json:"usage,omitempty"`
		Attempts   int          `json:"attempts"`
		DurationMS float64      `json:"durationMs"`
	}
	o := out{ID: r.ID, OK: r.OK(), Instance: r.Instance, Image: r.Image, Address: r.Address, Usage: r.Usage,
		Attempts: r.Attempts, DurationMS: float64(r.Duration.Microseconds()) / 1000}
	if r.Err != nil {
		o.Code = Code(r.Err).String()
		o.Error = r.Err.Error()
	}
	return json.Marshal(o)
}

// Report is the outcome of a bulk call: one Result per input item, in input order.
type Report struct {
	Op      Operation `json:"operation"`
	Results []Result  `json:"results"`
}

// Err returns nil when every item succeeded; the item's own error when the
// call had one item; and otherwise a *multierror.Error of the failed items'
// errors, each naming its item.
func (r *Report) Err() error {
	if r == nil {
		return nil
	}
	var merr *multierror.Error
	for _, res := range r.Results {
		if res.Err != nil {
			if len(r.Results) == 1 {
				return res.Err
			}
			merr = multierror.Append(merr, res.Err)
		}
	}
	return merr.ErrorOrNil()
}

// Failed returns the results that carry an error.
func (r *Report) Failed() []Result {
	var f []Result
	for _, res := range r.Results {
		if res.Err != nil {
			f = append(f, res)
		}
	}
	return f
}

// Succeeded returns how many items succeeded.
func (r *Report) Succeeded() int {
	n := 0
	for _, res := range r.Results {
		if res.Err == nil {
			n++
		}
	}
	return n
}

// Instances returns the instances the results carry (the launched ones, for a launch).
func (r *Report) Instances() []Instance {
	var out []Instance
	for _, res := range r.Results {
		if res.Instance != nil {
			out = append(out, *res.Instance)
		}
	}
	return out
}

// IDs returns the ids of the results, in order.
func (r *Report) IDs() []string {
	ids := make([]string, len(r.Results))
	for i, res := range r.Results {
		ids[i] = res.ID
	}
	return ids
}
