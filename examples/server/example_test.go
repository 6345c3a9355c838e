package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// call sends a JSON body and decodes the task of the answer.
func call(method, url, body string) (int, taskView) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, taskView{}
	}
	defer resp.Body.Close()
	var v taskView
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

// Launch two instances as the original's client does, lock one, and
// reboot both: the answer is 207 with one result per instance.
func Example_bulkReboot() {
	cloud, _ := perspective.NewCloud(mock.New())
	defer cloud.Close()
	set, _ := perspective.NewSet(cloud)
	tasks := newTaskStore(16)
	defer tasks.Close()
	srv := httptest.NewServer(newServer(&deps{set: set, tasks: tasks, version: "1",
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()

	status, launched := call("POST", srv.URL+"/instances",
		`[{"name":"a","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}},
		  {"name":"b","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"},"isLocked":true}]`)
	fmt.Println("launch:", status, launched.State, launched.Results[1].Instance.State, launched.Results[1].Instance.IsLocked)

	ids := `["` + launched.Results[0].ID + `","` + launched.Results[1].ID + `"]`
	status, rebooted := call("PUT", srv.URL+"/instances/reboot", ids)
	fmt.Println("reboot:", status, rebooted.State)
	for _, r := range rebooted.Results {
		if r.State == itemSucceeded {
			fmt.Println("  succeeded")
			continue
		}
		fmt.Println(" ", r.State, r.Status, r.Code)
	}
	// Output:
	// launch: 200 succeeded launched true
	// reboot: 207 partial
	//   succeeded
	//   failed 409 invalid_state
}
