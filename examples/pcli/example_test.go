package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
)

// pcli query over a mock cloud seeded with three instances.
func Example_query() {
	code := run(context.Background(), []string{
		"--cloud", "mock", "--seed-instances", "web=2,batch=1:shutoff",
		"query", "SELECT name, state FROM instances WHERE state = :s OR name LIKE :p ORDER BY name",
		"-p", "s=shutoff", "-p", "p=web-%",
	}, strings.NewReader(""), os.Stdout, io.Discard)
	fmt.Println("exit status", code)
	// Output:
	// NAME   STATE
	// batch  shutoff
	// web-1  launched
	// web-2  launched
	// exit status 0
}

// A dry run asks the state machine and changes nothing: the shut-off
// instance may be started, the running one may not (exit status 1).
func Example_dryRun() {
	var out bytes.Buffer
	code := run(context.Background(), []string{
		"--cloud", "mock", "--seed-instances", "web=1,batch=1:shutoff", "-o", "csv",
		"start", "batch", "web", "--dry-run",
	}, strings.NewReader(""), &out, io.Discard)
	rows, _ := csv.NewReader(&out).ReadAll()
	for _, r := range rows[1:] {
		fmt.Println(strings.TrimSpace(strings.Join(r[1:], " "))) // name, result, detail (r[0] is the id)
	}
	fmt.Println("exit status", code)
	// Output:
	// batch admitted
	// web refused instance "web" is launched; start is allowed only when shutoff
	// exit status 1
}
