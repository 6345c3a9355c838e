package auth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
)

// Example signs a user in from a static users file and calls a guarded
// route with the bearer token an API client gets.
func Example() {
	users, err := auth.LoadStatic("testdata/users.yaml") // demo / demo
	if err != nil {
		panic(err)
	}
	a := auth.New(auth.Config{Identity: users, Public: []string{"/ping"}})
	defer a.Close()
	mux := http.NewServeMux()
	a.Register(mux)
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.FromContext(r.Context())
		fmt.Fprint(w, p.Name, " ", p.Grants[0].Role)
	})
	srv := httptest.NewServer(a.Middleware(mux))
	defer srv.Close()

	res, _ := http.Get(srv.URL + "/whoami")
	fmt.Println("without a token:", res.StatusCode)
	res.Body.Close()

	res, _ = http.Post(srv.URL+"/auth/token", "application/json", strings.NewReader(`{"username":"demo","password":"demo"}`))
	var body struct{ Token string }
	_ = jsonDecode(res, &body)

	req, _ := http.NewRequest("GET", srv.URL+"/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+body.Token)
	res, _ = http.DefaultClient.Do(req)
	fmt.Println("with a token:", res.StatusCode, readAll(res))
	// Output:
	// without a token: 401
	// with a token: 200 demo operator
}
