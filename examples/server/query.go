package main

import (
	"net/http"
	"strings"

	"github.com/perspective-cloud/sdk/query"
)

// maxQueries bounds the requests of one POST /query.
const maxQueries = 100

// queryRequest is the body of POST /query (seed 001): a list of
// {"sql": …, "parameters": [{"name": …, "value": …}]}.
type queryRequest []query.Request

// Validate checks that there are queries and that each has SQL text;
// errors in the SQL itself come back as results, as the original does.
func (q queryRequest) Validate() error {
	if len(q) == 0 {
		return invalid("no queries; send [{\"sql\": \"select …\", \"parameters\": []}]")
	}
	if len(q) > maxQueries {
		return invalid("%d queries; at most %d per request", len(q), maxQueries)
	}
	for i, r := range q {
		if strings.TrimSpace(r.SQL) == "" {
			return invalid("query %d: sql is empty", i)
		}
	}
	return nil
}

// handleQuery serves POST /query: one result per statement, in seed 001's
// shape. A statement that fails is a result whose status names the
// failure (syntax_error, missing_parameters, evaluation_error), not an
// HTTP error. Clouds that fail leave their rows out of every table and are
// named in the Perspective-Failed-Clouds header (partial.go).
func handleQuery(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[queryRequest](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		results, err := d.set.QueryBatch(r.Context(), req)
		if err = answered(w, err); err != nil {
			writeError(w, err)
			return
		}
		if results == nil {
			results = []*query.Result{}
		}
		encode(w, http.StatusOK, results)
	})
}
