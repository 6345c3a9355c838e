// Package web is the browser client of the Perspective REST API example
// server: a client-side application of plain JavaScript modules and CSS,
// embedded in the binary, with no build step. It talks only to the public
// REST API (and the sign-in routes of package auth), like any other client.
//
// Typical use in a server:
//
//	mux.Handle("GET /{$}", web.Handler())       // the application's page
//	mux.Handle("GET /ui/", web.Handler())       // its scripts and styles
//
// Pages: sign-in; instances across clouds with live state, filtering by
// the query language's WHERE text or seed 004's field filters, sorting,
// paging, bulk actions with dry-run, progress and per-item results; the
// launch dialog; an instance's page with its console, log and usage chart;
// images; keypairs; projects with their endpoints and RC files.
package web
