package main

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"strings"
)

// docRow is one route on the docs page.
type docRow struct {
	Method, Path, Summary, Body, Query string
	Answers                            []string
}

// docsPage renders the routes as a self-contained page: no script and no
// asset from anywhere else.
var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Perspective REST API</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:75em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
code{font:13px ui-monospace,monospace}.m{font-weight:bold}.GET{color:#06c}.POST{color:#080}.PUT{color:#a60}.DELETE{color:#c00}
</style></head><body>
<h1>Perspective REST API</h1>
<p>The machine-readable description is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3).
Bulk calls answer 200 when every item succeeded, 207 when some failed (each result has its own status),
and are tasks: <code>GET /tasks/{id}</code> shows their progress; add <code>?async=true</code> to get 202 at once.
Errors are <code>{"code","message"}</code>.</p>
<table><tr><th>Method</th><th>Path</th><th>What it does</th><th>Body</th><th>Query</th><th>Answers</th></tr>
{{range .}}<tr><td class="m {{.Method}}">{{.Method}}</td><td><code>{{.Path}}</code></td><td>{{.Summary}}</td>
<td>{{.Body}}</td><td>{{.Query}}</td><td>{{range .Answers}}{{.}} {{end}}</td></tr>
{{end}}</table></body></html>
`))

// docRows returns the documented routes, sorted by path then method.
func docRows() []docRow {
	var rows []docRow
	for pattern, doc := range routeDocs() {
		method, path := openAPIPath(pattern)
		var answers []string
		for code := range responses(doc) {
			answers = append(answers, code)
		}
		slices.Sort(answers)
		var q []string
		for _, p := range doc.query {
			q = append(q, p.name)
		}
		rows = append(rows, docRow{Method: strings.ToUpper(method), Path: path, Summary: doc.summary,
			Body: doc.body, Query: strings.Join(q, ", "), Answers: answers})
	}
	slices.SortFunc(rows, func(a, b docRow) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method)) })
	return rows
}

// handleDocs serves GET /docs.
func handleDocs() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		if err := docsPage.Execute(&b, docRows()); err != nil {
			writeError(w, err)
			return
		}
		writeText(w, http.StatusOK, "text/html; charset=utf-8", b.String())
	})
}
