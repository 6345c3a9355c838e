package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

//go:embed portal.sample.json
var sampleDirectory []byte

// config is what the command line says.
type config struct {
	addr      string
	directory string // path of the directory file; "" for the sample
	grace     time.Duration
	quiet     bool
	noDemo    bool
}

// parseConfig reads the flags.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	name := "portal"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8000", "listen on `HOST:PORT`")
	fs.StringVar(&c.directory, "config", "", "the JSON `FILE` of users, customers, project groups and projects (default: the sample, portal.sample.json)")
	fs.DurationVar(&c.grace, "grace", 10*time.Second, "on SIGINT/SIGTERM, wait this long for requests in flight")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	fs.BoolVar(&c.noDemo, "no-demo", false, "do not launch the projects' demo_instances at start-up")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q (the flags are -addr, -config, -grace, -quiet, -no-demo)", fs.Args())
	}
	return c, nil
}

// loadDirectory reads the directory file c names, or the sample.
func loadDirectory(c config) (*directoryFile, error) {
	if c.directory == "" {
		return readDirectory(bytes.NewReader(sampleDirectory))
	}
	f, err := os.Open(c.directory)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := readDirectory(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.directory, err)
	}
	return d, nil
}
