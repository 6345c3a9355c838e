package main

import (
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// handleListProjects serves GET /projects/list: projects with their regions.
func handleListProjects(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		if d.fleet != nil {
			return http.StatusOK, fleetProjects(d), nil
		}
		ps, err := d.set.Projects().List(r.Context())
		if err = answered(w, err); err != nil {
			return 0, nil, err
		}
		if ps == nil {
			ps = []perspective.Project{}
		}
		return http.StatusOK, ps, nil
	})
}

// handleAccess serves GET /projects/{project}/access: the project's
// service endpoints.
func handleAccess(d *deps) http.Handler {
	return jsonHandler(func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		eps, err := d.set.Projects().Endpoints(r.Context(), d.byProjectName(perspective.Target{ProjectID: r.PathValue("project")}).ProjectID)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, eps, nil
	})
}

// handleRCFile serves GET /projects/{project}/regions/{region}/rcfile: an
// OpenStack RC file to source in a shell.
func handleRCFile(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, region := r.PathValue("project"), r.PathValue("region")
		b, err := d.set.Projects().RCFile(r.Context(), d.byProjectName(perspective.Target{ProjectID: p}).ProjectID, region)
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+safeFileName(p+"-"+region)+`-openrc.sh"`)
		writeText(w, http.StatusOK, "text/x-shellscript; charset=utf-8", string(b))
	})
}

// safeFileName keeps letters, digits, '-', '_' and '.' of s.
func safeFileName(s string) string {
	out := make([]rune, 0, len(s))
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			out = append(out, c)
		default:
			out = append(out, '_')
		}
	}
	return string(out)
}
