// Package httpserve runs the example HTTP servers: a main that ends on
// SIGINT or SIGTERM, a serve loop that shuts down gracefully, and the
// middleware every one of them puts around its routes (one log line per
// request, a 500 answer in place of a handler's panic).
//
// A typical program keeps its main.go to this:
//
//	func main() { httpserve.Main("portal", run) }
//
//	func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
//		cfg, err := parseConfig(args, getenv, stdout)
//		if err != nil {
//			return err
//		}
//		ln, err := net.Listen("tcp", cfg.addr)
//		if err != nil {
//			return err
//		}
//		log := slog.New(slog.NewTextHandler(stdout, nil))
//		h := httpserve.LogRequests(log, httpserve.RecoverPanics(log, internalError, routes()))
//		fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
//		return httpserve.Serve(ctx, ln, h, cfg.grace)
//	}
//
// RouteErrors puts a ServeMux's own "404 page not found" and "Method Not
// Allowed" (with its Allow header) into the API's JSON error answer.
package httpserve
