package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync"
)

//go:embed docs.html
var docsHTML string

// docsTemplate renders the docs page: self-contained, nothing is loaded
// from anywhere else, and the "try it" forms are plain JavaScript.
var docsTemplate = template.Must(template.New("docs").Parse(docsHTML))

// docsPage is what docsTemplate renders, derived from the OpenAPI document.
type docsPage struct {
	Title, Version, Description string
	AuthHint                    string // when set, the page asks for an Authorization header
	Groups                      []docsGroup
}

type docsGroup struct {
	Tag string
	Ops []docsOp
}

type docsOp struct {
	Method, Upper, Path, Summary, Description string
	Params                                    []apiParam
	Body                                      string // the example body, indented JSON
	Responses                                 []docsResponse
}

type docsResponse struct{ Code, Text string }

var methodOrder = []string{"get", "post", "put", "patch", "delete"}

// pageOf derives the docs page from an OpenAPI document: one group per
// tag (in order of first appearance by path), one entry per operation.
func pageOf(doc *apiDoc, authHint string) docsPage {
	page := docsPage{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description, AuthHint: authHint}
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	group := map[string]int{}
	for _, path := range paths {
		for _, method := range methodOrder {
			op, ok := doc.Paths[path][method]
			if !ok {
				continue
			}
			tag := "other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			i, ok := group[tag]
			if !ok {
				i = len(page.Groups)
				group[tag] = i
				page.Groups = append(page.Groups, docsGroup{Tag: tag})
			}
			page.Groups[i].Ops = append(page.Groups[i].Ops, docsOpOf(method, path, op))
		}
	}
	return page
}

func docsOpOf(method, path string, op *apiOp) docsOp {
	d := docsOp{Method: method, Upper: strings.ToUpper(method), Path: path, Summary: op.Summary,
		Description: op.Description, Params: op.Parameters}
	if op.RequestBody != nil {
		if m, ok := op.RequestBody.Content["application/json"]; ok && m.Example != nil {
			b, err := json.MarshalIndent(m.Example, "", "  ")
			if err == nil {
				d.Body = string(b)
			}
		}
		if d.Body == "" {
			d.Body = "{}"
		}
	}
	codes := make([]string, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		d.Responses = append(d.Responses, docsResponse{Code: c, Text: op.Responses[c].Description})
	}
	return d
}

var (
	docsOnce  sync.Once
	docsBytes []byte
	docsErr   error
)

// handleDocs serves the index page: the API docs with a "try it" form per route.
func handleDocs() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		docsOnce.Do(func() {
			var b bytes.Buffer
			docsErr = docsTemplate.Execute(&b, pageOf(openAPI(), "Token c84d653b9ec92c6cbac41c706593e66f567a7fa4"))
			docsBytes = b.Bytes()
		})
		if docsErr != nil {
			http.Error(w, "docs page: "+docsErr.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(docsBytes)
	})
}
