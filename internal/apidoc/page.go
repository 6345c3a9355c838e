package apidoc

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"maps"
	"slices"
	"strings"
)

//go:embed page.html
var pageHTML string

// pageTemplate renders a Page: self-contained, nothing is loaded from
// anywhere else, and the "try it" forms are plain JavaScript.
var pageTemplate = template.Must(template.New("docs").Parse(pageHTML))

// Page is what the docs page shows, derived from a Doc by PageOf.
type Page struct {
	Title, Version, Description string
	AuthHint                    string // when set, the page asks for an Authorization header to send
	Groups                      []Group
}

// Group is the operations of one tag.
type Group struct {
	Tag string
	Ops []PageOp
}

// PageOp is one operation on the page, with its "try it" form.
type PageOp struct {
	Method, Upper, Path, Summary, Description string // Method lower-case, Upper upper-case
	Params                                    []Parameter
	Body                                      string // the example body as indented JSON; "{}" without one
	Responses                                 []PageResponse
}

// PageResponse is one status an operation answers with.
type PageResponse struct{ Code, Text string }

// methodOrder is the order of a path's operations on the page.
var methodOrder = []string{"get", "post", "put", "patch", "delete"}

// PageOf derives the docs page from doc: one group per tag (in order of
// first appearance by path), one entry per operation. authHint, when not
// "", is the placeholder of an Authorization field the page sends with
// every try.
func PageOf(doc *Doc, authHint string) Page {
	page := Page{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description, AuthHint: authHint}
	group := map[string]int{}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths)) {
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
				page.Groups = append(page.Groups, Group{Tag: tag})
			}
			page.Groups[i].Ops = append(page.Groups[i].Ops, pageOp(method, path, op))
		}
	}
	return page
}

func pageOp(method, path string, op *Operation) PageOp {
	d := PageOp{Method: method, Upper: strings.ToUpper(method), Path: path, Summary: op.Summary,
		Description: op.Description, Params: op.Parameters}
	if op.RequestBody != nil {
		if m, ok := op.RequestBody.Content["application/json"]; ok && m.Example != nil {
			if b, err := json.MarshalIndent(m.Example, "", "  "); err == nil {
				d.Body = string(b)
			}
		}
		if d.Body == "" {
			d.Body = "{}"
		}
	}
	for _, c := range slices.Sorted(maps.Keys(op.Responses)) {
		d.Responses = append(d.Responses, PageResponse{Code: c, Text: op.Responses[c].Description})
	}
	return d
}
