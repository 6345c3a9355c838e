package httpserve

import (
	"context"
	"net"
	"net/http"
	"time"
)

// ReadHeaderTimeout bounds how long Serve waits for a request's headers,
// so that a slow client cannot hold a connection open for ever.
const ReadHeaderTimeout = 10 * time.Second

// Serve serves h on ln until ctx ends, then shuts down gracefully: it stops
// accepting, waits up to grace for the requests in flight, and returns. It
// returns nil after a clean shutdown, the error of Shutdown when grace ran
// out (context.DeadlineExceeded), or the error that stopped serving early.
// ln is closed when Serve returns.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: ReadHeaderTimeout}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(shutdown)
	<-errc // Serve has returned http.ErrServerClosed
	return err
}
