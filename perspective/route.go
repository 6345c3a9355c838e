package perspective

import (
	"context"
	"fmt"
	"github.com/perspective-cloud/sdk/driver"
	"slices"
	"strings"
	"sync"
	"time"
)

// Target narrows a multi-cloud service to the clouds that match every
// non-empty field.
type Target struct {
	CloudID   string `json:"cloudId,omitempty"`
	ProjectID string `json:"projectId,omitempty"`
	Region    string `json:"region,omitempty"`
}

func (t Target) matches(c *Cloud) bool {
	i := c.info
	return (t.CloudID == "" || t.CloudID == i.CloudID) &&
		(t.ProjectID == "" || t.ProjectID == i.ProjectID) &&
		(t.Region == "" || t.Region == i.Region)
}

// String names the target, e.g. "cloud=a project=p1", or "any cloud".
func (t Target) String() string {
	var parts []string
	for _, kv := range [][2]string{{"cloud", t.CloudID}, {"project", t.ProjectID}, {"region", t.Region}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "any cloud"
	}
	return strings.Join(parts, " ")
}

func narrow(clouds []*Cloud, t Target) []*Cloud {
	var out []*Cloud
	for _, c := range clouds {
		if t.matches(c) {
			out = append(out, c)
		}
	}
	return out
}

// single returns the one cloud a create must go to, or an invalid-argument
// error when there are none or several.
func single(op Operation, clouds []*Cloud) (*Cloud, error) {
	switch len(clouds) {
	case 1:
		return clouds[0], nil
	case 0:
		return nil, &Error{Code: CodeInvalidArgument, Op: op, Msg: "no cloud matches the target"}
	}
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = fmt.Sprintf("%s/%s/%s", c.info.CloudID, c.info.ProjectID, c.info.Region)
	}
	return nil, &Error{Code: CodeInvalidArgument, Op: op,
		Msg: fmt.Sprintf("%d clouds match (%s); narrow the set with In(Target{…})", len(clouds), strings.Join(names, ", "))}
}

// route finds the cloud and real id of each id. Instance ids are found in
// the clouds' inventories (synced once if they never were: 0 requests
// after that); ids no cloud knows make each cloud sync its inventory once
// (for instances, a listing of changes), and ids still unknown after that
// are tried as real ids, a GET each. The returned slice is aligned with ids; an
// entry with a nil cloud is not found.
func route(ctx context.Context, clouds []*Cloud, kind Kind, ids []string) ([]routed, error) {
	out := make([]routed, len(ids))
	missing := resolveKnown(clouds, kind, ids, out)
	if len(missing) == 0 {
		return out, nil
	}
	// Refresh what the clouds know, once, concurrently.
	var wg sync.WaitGroup
	errs := make([]error, len(clouds))
	for i, c := range clouds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.refresh(ctx, kind)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, classify(err, OpGet, kind, "")
	}
	missing = resolveKnown(clouds, kind, ids, out)
	if len(missing) == 0 {
		return out, nil
	}
	// What is left may be real ids: ask each cloud that could list.
	for _, i := range missing {
		for ci, c := range clouds {
			if errs[ci] != nil && len(clouds) > 1 {
				continue
			}
			if ok := c.hasReal(ctx, kind, ids[i]); ok {
				out[i] = routed{cloud: c, realID: ids[i]}
				break
			}
		}
	}
	return out, nil
}

type routed struct {
	cloud  *Cloud
	realID string
}

// resolveKnown fills out for the ids the clouds already know and returns
// the indexes of the others. Empty ids are skipped.
func resolveKnown(clouds []*Cloud, kind Kind, ids []string, out []routed) []int {
	var missing []int
	for i, id := range ids {
		if id == "" || out[i].cloud != nil {
			continue
		}
		if kind == KindInstance {
			// one read of the index of instances, when every inventory
			// can serve reads as it is
			if e, c, ok := findByID(clouds, id); ok && e != nil {
				out[i] = routed{cloud: c, realID: e.inst.RealID}
				continue
			}
		}
		found := false
		for _, c := range clouds {
			if real, ok := c.lookup(id, kind); ok {
				out[i] = routed{cloud: c, realID: real}
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, i)
		}
	}
	return missing
}

// refresh lists the objects of kind so that their global ids are known.
func (c *Cloud) refresh(ctx context.Context, kind Kind) error {
	switch kind {
	case KindInstance:
		c.inv.start()
		return c.inv.syncNow(ctx)
	case KindImage:
		_, err := c.meta.images.view(ctx)
		return err
	}
	return nil
}

// hasReal reports whether realID is the id of an object of kind in this cloud.
func (c *Cloud) hasReal(ctx context.Context, kind Kind, realID string) bool {
	switch kind {
	case KindInstance:
		start := time.Now()
		inst, err := c.drv.GetInstance(ctx, realID)
		if err == nil && inst.ID == realID && inst.State != StateDeleted {
			c.inv.put(c.inv.adopt(ctx, []driver.Instance{inst}), start)
			return true
		}
	case KindImage:
		img, err := c.drv.GetImage(ctx, realID)
		if err == nil {
			c.adoptImage(img)
			return true
		}
	}
	return false
}

// dedupe returns the distinct non-empty ids in first-seen order.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return slices.Clip(out)
}
