// Package runtest starts a server program's run function in a test, on a
// free port of 127.0.0.1, and hands back its address, its output and the
// means to stop it.
//
// A typical test:
//
//	func TestRun(t *testing.T) {
//		r := runtest.Start(t, run, []string{"portal", "-addr", "127.0.0.1:0"}, nil)
//		resp, err := http.Get(r.URL + "/openapi.json")
//		require.NoError(t, err)
//		resp.Body.Close()
//		r.Cancel()
//		require.NoError(t, <-r.Done)
//		assert.Contains(t, r.Out.String(), "stopped")
//	}
//
// The program must print "listening on http://HOST:PORT" once it listens.
package runtest
