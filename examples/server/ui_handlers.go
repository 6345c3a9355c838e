package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

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
	if len(q.IDs) > 10000 || len(q.Operations) > 64 {
		return invalidf("at most 10000 ids and 64 operations per dry run")
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[*dryRunRequest](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ops := req.Operations
		if len(ops) == 0 {
			for _, op := range perspective.InstanceOperations() {
				ops = append(ops, string(op))
			}
		}
		out := map[string]admits{}
		for _, name := range ops {
			op, err := perspective.ParseOperation(name)
			if err != nil {
				writeError(w, err)
				return
			}
			rep, err := insts.DryRun(r.Context(), op, req.IDs...)
			if rep == nil {
				writeError(w, err)
				return
			}
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
		encode(w, http.StatusOK, map[string]any{"operations": out})
	})
}

// handleUsage serves GET /instances/{id}/usage (seed 004's parameters).
func handleUsage(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
					writeError(w, invalidf("%s: %q is not a Unix time in seconds", f.name, s))
					return
				}
				*f.dst = time.Unix(n, 0).UTC()
			}
		}
		if s := q.Get("datapoints"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 1000 {
				writeError(w, invalidf("datapoints: %q is not a number from 1 to 1000", s))
				return
			}
			uq.Points = n
		}
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		pts, err := insts.Usage(r.Context(), r.PathValue("id"), uq)
		if err != nil {
			writeError(w, err)
			return
		}
		if pts == nil {
			pts = []perspective.UsagePoint{}
		}
		encode(w, http.StatusOK, pts)
	})
}

// handleTags serves GET /instances/{id}/tags.
func handleTags(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inst, ok := d.instanceInPath(w, r)
		if !ok {
			return
		}
		tags := inst.Tags
		if tags == nil {
			tags = []string{}
		}
		encode(w, http.StatusOK, tags)
	})
}

// handleListFlavors serves GET /flavors and its scoped form.
func handleListFlavors(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := d.scope(r)
		if err != nil {
			writeError(w, err)
			return
		}
		fs, err := d.set.Flavors().In(t).List(r.Context())
		if err != nil {
			writeError(w, err)
			return
		}
		out := make([]*flavorView, len(fs))
		for i := range fs {
			out[i] = flavorOf(&fs[i])
		}
		encode(w, http.StatusOK, out)
	})
}

// handleListNetworks serves GET /networks and its scoped form.
func handleListNetworks(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := d.scope(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ns, err := d.set.Networks().In(t).List(r.Context())
		if err != nil {
			writeError(w, err)
			return
		}
		if ns == nil {
			ns = []perspective.Network{}
		}
		encode(w, http.StatusOK, ns)
	})
}

// maxUploadBytes bounds an uploaded image.
const maxUploadBytes = 8 << 30

// handleUploadImage serves POST /images/upload: the body is the image file.
func handleUploadImage(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("name") == "" {
			writeError(w, invalidf("name is required: POST /images/upload?name=…"))
			return
		}
		t := perspective.Target{CloudID: q.Get("cloud"), ProjectID: q.Get("project"), Region: q.Get("region")}
		img, err := d.set.Images().In(t).Create(r.Context(), perspective.ImageSpec{Name: q.Get("name"),
			DiskFormat: q.Get("diskFormat"), ContainerFormat: q.Get("containerFormat"), Visibility: q.Get("visibility"),
			Data: http.MaxBytesReader(w, r.Body, maxUploadBytes)})
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Location", "/images/"+img.ID)
		encode(w, http.StatusCreated, imageOf(&img))
	})
}
