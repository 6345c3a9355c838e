package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// maxDryRunIDs bounds the ids of one dry run: the web UI asks about every
// selected row at once, and a dry run changes nothing.
const maxDryRunIDs = 10000

// dryRunRequest is the body of POST /instances/dryrun.
type dryRunRequest struct {
	IDs        []string `json:"ids"`
	Operations []string `json:"operations"`
	// Limit, when positive, lists at most this many refusals per
	// operation (refusedCount still counts them all): the web UI shows
	// one reason, and 10,000 refusals of 15 operations are megabytes.
	Limit int `json:"limit"`
}

// Validate implements validator.
func (q *dryRunRequest) Validate() error {
	if len(q.IDs) == 0 {
		return invalidf("ids: give at least one instance id")
	}
	if len(q.IDs) > maxDryRunIDs || len(q.Operations) > 64 {
		return invalidf("ids, operations: at most %d ids and 64 operations per dry run", maxDryRunIDs)
	}
	if q.Limit < 0 {
		return invalidf("limit: %d is negative; give 0 for every refusal or a positive count", q.Limit)
	}
	return nil
}

type refusal struct {
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type admits struct {
	Admitted     int       `json:"admitted"`
	RefusedCount int       `json:"refusedCount"`
	Refused      []refusal `json:"refused"`
}

// handleDryRun serves POST /instances/dryrun: for each operation, how
// many of the ids the state machine admits and why it refuses the rest.
func handleDryRun(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		req, err := decode[*dryRunRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		insts, err := d.instances(r)
		if err != nil {
			return 0, nil, err
		}
		ops := req.Operations
		if len(ops) == 0 {
			for _, op := range perspective.InstanceOperations() {
				ops = append(ops, string(op))
			}
		}
		x := d.explain(perspective.OpReboot, false)
		out := map[string]admits{}
		for _, name := range ops {
			op, err := perspective.ParseOperation(name)
			if err != nil {
				return 0, nil, err
			}
			rep, err := insts.DryRun(r.Context(), op, req.IDs...)
			if rep == nil {
				return 0, nil, err
			}
			x.as(op).report(r.Context(), rep)
			a := admits{Refused: []refusal{}}
			for _, res := range rep.Results {
				if res.Err == nil {
					a.Admitted++
					continue
				}
				a.RefusedCount++
				if req.Limit > 0 && len(a.Refused) >= req.Limit {
					continue
				}
				_, code := statusOf(res.Err)
				a.Refused = append(a.Refused, refusal{ID: res.ID, Code: code, Message: res.Err.Error()})
			}
			out[name] = a
		}
		return http.StatusOK, map[string]any{"operations": out}, nil
	})
}

// handleUsage serves GET /instances/{id}/usage (seed 004's parameters).
func handleUsage(d *deps) http.Handler {
	return jsonHandler(func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		uq := perspective.UsageQuery{Item: perspective.UsageItem(q.Get("item"))}
		if uq.Item == "" {
			uq.Item = perspective.UsageCPU
		}
		for _, f := range []struct {
			name string
			dst  *time.Time
		}{{"from", &uq.From}, {"to", &uq.To}} {
			if s := q.Get(f.name); s != "" {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil || n < 0 {
					return 0, nil, invalidf("%s: %q is not a Unix time in seconds", f.name, s)
				}
				*f.dst = time.Unix(n, 0).UTC()
			}
		}
		if s := q.Get("datapoints"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 1000 {
				return 0, nil, invalidf("datapoints: %q is not a number from 1 to 1000", s)
			}
			uq.Points = n
		}
		insts, err := d.instances(r)
		if err != nil {
			return 0, nil, err
		}
		series, err := insts.Usage(r.Context(), r.PathValue("id"), uq)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, series, nil
	})
}

// handleTags serves GET /instances/{id}/tags.
func handleTags(d *deps) http.Handler {
	return jsonHandler(func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.instanceInPath(r)
		if err != nil {
			return 0, nil, err
		}
		tags := inst.Tags
		if tags == nil {
			tags = []string{}
		}
		return http.StatusOK, tags, nil
	})
}

// handleListFlavors serves GET /flavors and its scoped form.
func handleListFlavors(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		t, err := d.scope(r)
		if err != nil {
			return 0, nil, err
		}
		fs, err := d.set.Flavors().In(t).List(r.Context())
		if err = answered(w, err); err != nil {
			return 0, nil, err
		}
		out := make([]*flavorView, len(fs))
		for i := range fs {
			out[i] = flavorOf(&fs[i])
		}
		return http.StatusOK, out, nil
	})
}

// handleListNetworks serves GET /networks and its scoped form.
func handleListNetworks(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		t, err := d.scope(r)
		if err != nil {
			return 0, nil, err
		}
		ns, err := d.set.Networks().In(t).List(r.Context())
		if err = answered(w, err); err != nil {
			return 0, nil, err
		}
		if ns == nil {
			ns = []perspective.Network{}
		}
		return http.StatusOK, ns, nil
	})
}

// maxUploadBytes bounds an uploaded image.
const maxUploadBytes = 8 << 30

// handleUploadImage serves POST /images/upload: the body is the image file.
func handleUploadImage(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		if q.Get("name") == "" {
			return 0, nil, invalidf("name is required: POST /images/upload?name=…")
		}
		t := perspective.Target{CloudID: q.Get("cloud"), ProjectID: q.Get("project"), Region: q.Get("region")}
		if err := d.createTarget("image "+shortQuote(q.Get("name")), t); err != nil {
			return 0, nil, err
		}
		img, err := d.set.Images().In(t).Create(r.Context(), perspective.ImageSpec{Name: q.Get("name"),
			DiskFormat: q.Get("diskFormat"), ContainerFormat: q.Get("containerFormat"), Visibility: q.Get("visibility"),
			Data: http.MaxBytesReader(w, r.Body, maxUploadBytes)})
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/images/"+img.ID)
		return http.StatusCreated, imageOf(&img), nil
	})
}
