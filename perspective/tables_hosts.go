package perspective

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/query"
)

// hypervisorRows gives seed 003's hypervisors table: one row per cloud and
// hypervisor, read from every cloud whose driver lists hypervisors
// (driver.HypervisorLister), concurrently, one listing per cloud each time
// a query reads the table (hypervisors are not kept in the inventory).
// Rows carry their cloud_id, so that a join with instances on (cloud_id,
// host) is exact in a Set: the clouds of a fleet that share a region list
// the same hypervisors, each under its own cloud_id. The usage columns
// are NULL when the cloud did not report usage.
//
// Listing hypervisors is an administrator's call. A cloud whose
// credentials are refused gives no rows, and neither does a cloud whose
// driver cannot list hypervisors; but when every cloud that could list
// them refused, the table is an ErrForbidden error that says so, never an
// empty table that would read as "no hypervisors".
func (t *tables) hypervisorRows(ctx context.Context) ([][]query.Value, error) {
	type listing struct {
		cloud *Cloud
		hvs   []driver.Hypervisor
		err   error
	}
	var parts []*listing
	var wg sync.WaitGroup
	for _, c := range t.clouds {
		hl, ok := c.drv.(driver.HypervisorLister)
		if !ok {
			continue
		}
		l := &listing{cloud: c}
		parts = append(parts, l)
		wg.Go(func() {
			l.hvs, l.err = hl.ListHypervisors(ctx)
			l.err = classify(l.err, opHypervisors, "", c.info.CloudID)
		})
	}
	wg.Wait()
	var rows [][]query.Value
	var refused []string
	for _, l := range parts {
		if errors.Is(l.err, ErrForbidden) {
			refused = append(refused, l.cloud.info.CloudID)
			continue
		}
		if l.err != nil {
			return nil, l.err
		}
		info := l.cloud.info
		for _, h := range l.hvs {
			usage := func(n int) query.Value {
				if !h.UsageKnown {
					return query.Null()
				}
				return num(int64(n))
			}
			rows = append(rows, []query.Value{str(h.ID), str(info.CloudID), str(info.Type), orNull(info.Region),
				str(cmpOr(h.Host, h.Hostname)), str(h.Hostname), str(h.Type), orNull(h.HostIP), str(h.State), str(h.Status),
				usage(h.VCPUs), usage(h.VCPUsUsed), usage(h.MemoryMiB), usage(h.MemoryUsed), usage(h.DiskGiB),
				usage(h.DiskUsed), usage(h.RunningVMs)})
		}
	}
	if len(refused) > 0 && len(refused) == len(parts) {
		// The query engine names the table ("read table hypervisors: …").
		return nil, &Error{Code: CodeForbidden, Msg: fmt.Sprintf("an administrator's credentials are needed; "+
			"those of %s may not list hypervisors (and see no instance's host)", strings.Join(refused, ", "))}
	}
	return rows, nil
}

// opHypervisors names the listing in the hypervisors table's errors (the
// operator package names the same call).
const opHypervisors Operation = "hypervisors"
