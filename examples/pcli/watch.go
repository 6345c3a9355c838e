package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
)

// watchCommand prints the instances' changes as they happen.
func (a *app) watchCommand() *cobra.Command {
	var (
		opts          perspective.WatchOptions
		states        []string
		where         string
		params        []string
		snapshotFirst bool
	)
	c := &cobra.Command{
		Use:   "watch",
		Short: "Print the instances' changes as they happen, until Ctrl-C",
		Long: `Print every change of the instances as it happens: created, changed (the
state before → after), deleted, including changes made by other clients of
the cloud. The clouds' inventories are read once, then only their changes.
-o table prints a line per event, -o json one JSON object per line
({"time","kind","cloudId","id","old","new"}). A watch that falls far behind
prints "resync" and then every matching instance as "snapshot".

--state, --name and --tag keep the instances that match them before or
after the change; --where keeps those a WHERE condition of the query
language selects (evaluated on the inventory when the event is printed).
The watch ends on Ctrl-C or --timeout, with exit status 0.`,
		Example: `  pcli watch
  pcli watch --state error --state shutoff
  pcli watch --where "name LIKE 'web-%'" -o json | jq -c 'select(.kind == "deleted")'
  pcli watch --snapshot --timeout 10s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.output != "table" && a.output != "json" {
				return usagef("-o %q: watch prints table or json lines", a.output)
			}
			if len(params) > 0 && where == "" {
				return usagef("-p binds parameters of --where; there is no --where")
			}
			for _, s := range states {
				st, err := perspective.ParseState(s)
				if err != nil {
					return usagef("--state: %v", err)
				}
				opts.States = append(opts.States, st)
			}
			opts.Snapshot = snapshotFirst
			ctx := cmd.Context()
			set, err := a.open(ctx)
			if err != nil {
				return err
			}
			var keep *whereFilter
			if where != "" {
				if keep, err = newWhereFilter(ctx, set, where, params); err != nil {
					return err
				}
			}
			w, err := set.Watch(ctx, opts)
			if err != nil {
				return err
			}
			defer w.Close()
			return printEvents(ctx, w, keep, newEventPrinter(a.stdout, a.output))
		},
	}
	f := c.Flags()
	f.StringArrayVar(&states, "state", nil, "keep instances in this state before or after the change (repeatable)")
	f.StringVar(&opts.Name, "name", "", "keep instances whose name contains this")
	f.StringArrayVar(&opts.Tags, "tag", nil, "keep instances with this tag (repeatable: all of them)")
	f.StringVar(&where, "where", "", "keep the instances this WHERE condition over the instances table selects, "+
		"e.g. \"name LIKE 'web-%' AND state = 'launched'\"")
	addParamFlag(c, &params)
	f.BoolVar(&snapshotFirst, "snapshot", false, "print every matching instance first (kind snapshot)")
	return c
}

// printEvents prints the watch's events until ctx ends (nil then: Ctrl-C
// and --timeout end a watch as asked) or printing fails.
func printEvents(ctx context.Context, w *perspective.Watch, keep *whereFilter, p eventPrinter) error {
	if err := p.begin(); err != nil {
		return err
	}
	for {
		ev, err := w.Next(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if keep != nil {
			ok, err := keep.keep(ctx, ev)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		if err := p.print(time.Now(), ev); err != nil {
			return err
		}
	}
}

// whereFilter keeps the events of the instances a WHERE condition
// selects: an instance that matches now, or matched when last seen (so
// that the change that takes it out of the selection, and its deletion,
// are printed too).
type whereFilter struct {
	set  *perspective.Set
	sql  string
	args []any
	in   map[string]bool // ids that matched when last seen
}

// watchIDParam names the instance a whereFilter asks about.
const watchIDParam = "pcli_watch_id"

// newWhereFilter checks the condition and notes what it selects now.
func newWhereFilter(ctx context.Context, set *perspective.Set, where string, params []string) (*whereFilter, error) {
	f := &whereFilter{set: set, in: map[string]bool{},
		sql:  wherePrefix + "(" + where + "\n) AND instances.id = :" + watchIDParam + ":",
		args: queryArgs(params)}
	// The selection now (and a check of the condition, placed in its text).
	res, err := set.Query(ctx, wherePrefix+where, f.args...)
	if err != nil && answeredPartly(err) == nil { // the clouds that answer are watched
		return nil, whereErr(err)
	}
	for _, row := range res.Rows() {
		f.in[row[0].String()] = true
	}
	return f, nil
}

// keep reports whether ev is printed.
func (f *whereFilter) keep(ctx context.Context, ev perspective.Event) (bool, error) {
	id := eventID(ev)
	switch ev.Kind {
	case perspective.EventResync:
		clear(f.in)
		return true, nil
	case perspective.EventDeleted:
		was := f.in[id]
		delete(f.in, id)
		return was, nil
	}
	res, err := f.set.Query(ctx, f.sql, append(f.args[:len(f.args):len(f.args)], query.Named(watchIDParam, id))...)
	if err != nil && answeredPartly(err) == nil { // the event's cloud answered: it sent the event
		return false, whereErr(err)
	}
	now, was := len(res.Rows()) > 0, f.in[id]
	if now {
		f.in[id] = true
	} else {
		delete(f.in, id)
	}
	if ev.Kind == perspective.EventSnapshot {
		return now, nil
	}
	return now || was, nil
}

// eventID is the id of the event's instance.
func eventID(ev perspective.Event) string {
	switch {
	case ev.New != nil:
		return ev.New.ID
	case ev.Old != nil:
		return ev.Old.ID
	}
	return ""
}

// eventPrinter prints events: a header, then one line each.
type eventPrinter interface {
	begin() error
	print(at time.Time, ev perspective.Event) error
}

func newEventPrinter(w io.Writer, output string) eventPrinter {
	if output == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return jsonEvents{enc}
	}
	return tableEvents{w}
}

// tableEvents prints an aligned line per event.
type tableEvents struct{ w io.Writer }

const eventLine = "%-12s  %-8s  %-36s  %-24s  %-28s  %s\n"

func (t tableEvents) begin() error {
	_, err := fmt.Fprintf(t.w, eventLine, "TIME", "EVENT", "ID", "NAME", "STATE", "CLOUD")
	return err
}

func (t tableEvents) print(at time.Time, ev perspective.Event) error {
	var name, state string
	switch {
	case ev.Kind == perspective.EventChanged && ev.Old != nil && ev.New != nil:
		name, state = ev.New.Name, string(ev.Old.State)+" → "+string(ev.New.State)
		if ev.Old.Name != ev.New.Name {
			name = ev.Old.Name + " → " + ev.New.Name
		}
	case ev.New != nil:
		name, state = ev.New.Name, string(ev.New.State)
	case ev.Old != nil:
		name, state = ev.Old.Name, string(ev.Old.State)
	}
	_, err := fmt.Fprintf(t.w, eventLine, at.Format("15:04:05.000"), ev.Kind, eventID(ev), oneLine(name), state, ev.CloudID)
	return err
}

// jsonEvents prints a JSON object per line.
type jsonEvents struct{ enc *json.Encoder }

// eventJSON is an event as -o json prints it.
type eventJSON struct {
	Time    time.Time             `json:"time"`
	Kind    perspective.EventKind `json:"kind"`
	CloudID string                `json:"cloudId,omitempty"`
	ID      string                `json:"id,omitempty"`
	Old     *perspective.Instance `json:"old,omitempty"`
	New     *perspective.Instance `json:"new,omitempty"`
}

func (jsonEvents) begin() error { return nil }

func (j jsonEvents) print(at time.Time, ev perspective.Event) error {
	return j.enc.Encode(eventJSON{Time: at, Kind: ev.Kind, CloudID: ev.CloudID, ID: eventID(ev), Old: ev.Old, New: ev.New})
}
