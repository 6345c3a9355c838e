package httpserve_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/perspective-cloud/sdk/internal/httpserve"
)

// ExampleServe serves until the context ends, then shuts down gracefully.
func ExampleServe() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	log := slog.New(slog.DiscardHandler)
	routes := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "pong") })
	internalError := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- httpserve.Serve(ctx, ln, httpserve.LogRequests(log, httpserve.RecoverPanics(log, internalError, routes)), 5*time.Second)
	}()

	if resp, err := http.Get("http://" + ln.Addr().String() + "/ping"); err != nil {
		fmt.Println(err)
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(b))
	}

	stop() // what SIGINT does under httpserve.Main
	fmt.Println("stopped:", <-done)
	// Output:
	// 200 pong
	// stopped: <nil>
}
