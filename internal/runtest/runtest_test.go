package runtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errStopped = errors.New("stopped on purpose")

// serveUntilDone is a run function: it listens where -addr (args[1])
// says, prints the line Start waits for, and serves until ctx ends.
func serveUntilDone(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", args[1])
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, getenv("GREETING"))
	})}
	fmt.Fprintf(stdout, "test listening on http://%s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	_ = srv.Serve(ln)
	return errStopped
}

func TestStartAndStop(t *testing.T) {
	tests := []struct {
		name   string
		getenv func(string) string
		want   string
	}{
		{"environment", func(k string) string { return "hello from " + k }, "hello from GREETING"},
		{"nil environment is empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Start(t, serveUntilDone, []string{"test", "127.0.0.1:0"}, tt.getenv)
			assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, r.URL)
			resp, err := http.Get(r.URL)
			require.NoError(t, err)
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			assert.ErrorIs(t, r.Stop(t), errStopped)
		})
	}
}

// TestCleanupStops: a run the test does not stop is stopped and waited
// for when the test ends.
func TestCleanupStops(t *testing.T) {
	var r *Run
	t.Run("leaves it running", func(t *testing.T) {
		r = Start(t, serveUntilDone, []string{"test", "127.0.0.1:0"}, nil)
	})
	select {
	case err := <-r.Done:
		assert.ErrorIs(t, err, errStopped)
	default:
		t.Fatal("the run was not stopped at the end of its test")
	}
}

func TestBuffer(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = b.Write([]byte("x"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	assert.Len(t, b.String(), 800)
}

func TestListening(t *testing.T) {
	tests := []struct {
		out  string
		want string
	}{
		{"portal listening on http://127.0.0.1:8000 (docs: http://127.0.0.1:8000/)\n", "http://127.0.0.1:8000"},
		{"listening on http://0.0.0.0:80\n", ""},
		{"starting\n", ""},
	}
	for _, tt := range tests {
		m := Listening.FindStringSubmatch(tt.out)
		got := ""
		if m != nil {
			got = m[1]
		}
		assert.Equal(t, tt.want, got, tt.out)
	}
}
