//go:build integration

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// TestIntegrationMainFlow drives both addresses of the vNext API, over
// httptest, against the real OpenStack of the sourced admin openrc
// (scripts/openstack-aio.sh up; source /tmp/os-aio/openrc), as .ci/openstack-integration
// runs it:
//
//	go test -tags integration -run TestIntegrationMainFlow ./examples/compute-vnext/
//
// A server s3-vnext-… is launched, read, patched, rebooted, stopped,
// started, snapshotted, resized (the task confirms), moved live and cold
// when the cloud has two compute hosts up (logged and left out with one),
// reset to error and back through the operator address, terminated and
// restored when the cloud soft-deletes (logged when it deletes at once),
// and force-deleted through the operator address. Whatever happens, the
// servers and the snapshot are deleted at the end.
func TestIntegrationMainFlow(t *testing.T) {
	if os.Getenv("OS_AUTH_URL") == "" && os.Getenv("OS_CLOUD") == "" {
		t.Fatal("this integration test needs an OpenStack: source an openrc (e.g. `sudo scripts/openstack-aio.sh up && " +
			"source /tmp/os-aio/openrc`) or set OS_CLOUD")
	}
	if os.Getenv("OS_USERNAME") != "admin" && os.Getenv("PERSPECTIVE_IT_ADMIN") != "1" {
		t.Fatal("this integration test needs the admin openrc (OS_USERNAME=admin): it uses the operator address")
	}
	e := newCloudEnv(t)
	flavor, altFlavor := envOr("PERSPECTIVE_IT_FLAVOR", "m1.tiny"), envOr("PERSPECTIVE_IT_ALT_FLAVOR", "m1.small")
	image, network := envOr("PERSPECTIVE_IT_IMAGE", "cirros-dummy"), envOr("PERSPECTIVE_IT_NETWORK", "private")
	project := e.cloud.Info().ProjectID

	// What a launch needs: the project, an image, a server type.
	projects := decodeAs[map[string][]projectJSON](t, e.do("GET", "/projects", "", 200))["projects"]
	require.True(t, slices.ContainsFunc(projects, func(p projectJSON) bool { return p.ID == project }), "projects: %v", projects)
	img := decodeAs[imageJSON](t, e.do("GET", "/images/"+image, "", 200))
	require.Equal(t, image, img.Name)
	types := decodeAs[map[string][]serverTypeJSON](t, e.do("GET", "/server_types", "", 200))["server_types"]
	require.True(t, slices.ContainsFunc(types, func(st serverTypeJSON) bool { return st.Name == flavor }), "server types: %v", types)

	// Launch.
	name := fmt.Sprintf("s3-vnext-%d", time.Now().UnixNano()%1e6)
	l := decodeAs[launchedJSON](t, e.do("POST", "/projects/"+project+"/servers",
		fmt.Sprintf(`{"name":%q,"server_type":%q,"image":%q,"networks":[%q]}`, name, flavor, img.ID, network), 202))
	require.Len(t, l.Servers, 1, "failed: %v", l.Failed)
	id := l.Servers[0].ID
	e.cleanupServer(id)
	s := e.waitServer(id, "launch", func(s serverJSON) bool { return s.Status == "ACTIVE" })
	assert.Equal(t, name, s.Name)
	assert.Equal(t, "running", s.PowerState)
	require.NotNil(t, s.ServerType)
	assert.Equal(t, flavor, s.ServerType.Name)
	require.NotNil(t, s.Image)
	assert.Equal(t, img.ID, s.Image.ID)
	assert.NotEmpty(t, s.Addresses[network], "an address on %s", network)
	require.NotEmpty(t, s.Host, "the admin credentials see the host")
	servers := decodeAs[map[string][]serverJSON](t, e.do("GET", "/projects/"+project+"/servers", "", 200))["servers"]
	assert.True(t, slices.ContainsFunc(servers, func(s serverJSON) bool { return s.ID == id }))

	// PATCH and HEAD.
	s = decodeAs[serverJSON](t, e.do("PATCH", "/servers/"+id, `{"name":"`+name+`-r","metadata":{"role":"web"},"tags":["s3","vnext"]}`, 200))
	assert.Equal(t, name+"-r", s.Name)
	s = e.waitServer(id, "patch", func(s serverJSON) bool { return s.Name == name+"-r" && s.Metadata["role"] == "web" })
	assert.ElementsMatch(t, []string{"s3", "vnext"}, s.Tags)
	resp, b := call(t, e.consumer, "HEAD", "/servers/"+id, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, b, "a HEAD answers no body")
	assert.Equal(t, "running", resp.Header.Get("X-Server-Power-State"))
	assert.Equal(t, "ACTIVE", resp.Header.Get("X-Server-Status"))

	// Tasks.
	e.slowTask(id, `{"action":"reboot","type":"soft"}`)
	e.slowTask(id, `{"action":"stop"}`)
	s = e.waitServer(id, "stop", func(s serverJSON) bool { return s.Status == "SHUTOFF" })
	assert.Equal(t, "shutdown", s.PowerState)
	b = e.do("POST", "/servers/"+id+"/tasks", `{"action":"stop"}`, 409)
	assert.Contains(t, errorOf(t, b).Message, "shutoff", "refused at once, naming the state")
	e.slowTask(id, `{"action":"start"}`)
	snap := name + "-snap"
	e.slowTask(id, `{"action":"snapshot","name":"`+snap+`"}`)
	e.cleanupImage(snap)
	e.slowTask(id, `{"action":"resize","server_type":"`+altFlavor+`"}`)
	s = e.waitServer(id, "resize", func(s serverJSON) bool {
		return s.Status == "ACTIVE" && s.ServerType != nil && s.ServerType.Name == altFlavor
	})
	tasks := decodeAs[map[string][]taskJSON](t, e.do("GET", "/servers/"+id+"/tasks", "", 200))["tasks"]
	require.Len(t, tasks, 5)
	assert.Equal(t, "resize", tasks[0].Action, "newest first")
	assert.Equal(t, "reboot", tasks[4].Action)
	for _, tk := range tasks {
		assert.Equal(t, taskSucceeded, tk.State, "%s: %s", tk.Action, tk.Error)
	}

	// The operator address.
	hvs := decodeAs[map[string][]operator.Hypervisor](t, e.admin("GET", "/hypervisors", "", 200))["hypervisors"]
	require.NotEmpty(t, hvs)
	var up []string
	for _, h := range hvs {
		t.Logf("hypervisor %s (%s/%s): %d/%d vCPUs, %d VMs", h.Hostname, h.State, h.Status, h.VCPUsUsed, h.VCPUs, h.RunningVMs)
		if h.State == "up" && h.Status == "enabled" {
			up = append(up, cmpOr(h.Host, h.Hostname))
		}
	}
	svcs := decodeAs[map[string][]operator.Service](t, e.admin("GET", "/services", "", 200))["services"]
	assert.True(t, slices.ContainsFunc(svcs, func(sv operator.Service) bool { return sv.Binary == "nova-compute" && sv.Host == s.Host }),
		"the server's host runs nova-compute: %v", svcs)

	// Moves, with a second host.
	if len(up) < 2 {
		t.Logf("ONE COMPUTE HOST UP (%s): the move tasks (live and cold) are not exercised on this cloud; "+
			"scripts/openstack-aio.sh runs a second one, aio2", strings.Join(up, ", "))
	} else {
		from := s.Host
		to := up[0]
		if to == from {
			to = up[1]
		}
		start := time.Now()
		e.slowTask(id, `{"action":"move","live":true,"host":"`+to+`"}`)
		s = e.waitServer(id, "live move", func(s serverJSON) bool { return s.Host == to && s.Status == "ACTIVE" })
		t.Logf("live move %s → %s in %s", from, to, time.Since(start).Round(100*time.Millisecond))
		start = time.Now()
		e.slowTask(id, `{"action":"move","live":false}`)
		s = e.waitServer(id, "cold move", func(s serverJSON) bool { return s.Host != to && s.Status == "ACTIVE" })
		t.Logf("cold move (the scheduler's choice, confirmed by the task) %s → %s in %s", to, s.Host,
			time.Since(start).Round(100*time.Millisecond))
	}

	// Reset state through the operator address.
	e.admin("POST", "/servers/"+id+"/reset_state", `{"state":"error"}`, 200)
	e.waitServer(id, "reset to error", func(s serverJSON) bool { return s.Status == "ERROR" })
	e.admin("POST", "/servers/"+id+"/reset_state", `{"state":"active"}`, 200)
	e.waitServer(id, "reset to active", func(s serverJSON) bool { return s.Status == "ACTIVE" })

	// Terminate, and restore when the cloud soft-deletes.
	e.slowTask(id, `{"action":"terminate"}`)
	inst, err := e.cloud.Instances().With(perspective.MaxAge(0)).Get(context.Background(), id)
	if err != nil || inst.State != perspective.StateSoftDeleted {
		now := "gone"
		if err == nil {
			now = string(inst.State)
		} else if perspective.Code(err) != perspective.CodeNotFound {
			require.NoError(t, err)
		}
		t.Logf("NO SOFT DELETE: the terminated server is %s: the cloud deletes at once (reclaim_instance_interval "+
			"unset), so restore is not exercised on this cloud; force_delete is, on a new server", now)
		l = decodeAs[launchedJSON](t, e.do("POST", "/projects/"+project+"/servers",
			fmt.Sprintf(`{"name":%q,"server_type":%q,"image":%q,"networks":[%q]}`, name+"-2", flavor, img.ID, network), 202))
		require.Len(t, l.Servers, 1, "failed: %v", l.Failed)
		id = l.Servers[0].ID
		e.cleanupServer(id)
		e.waitServer(id, "launch", func(s serverJSON) bool { return s.Status == "ACTIVE" })
	} else {
		s = e.waitServer(id, "terminate", func(s serverJSON) bool { return s.Status == "SOFT_DELETED" })
		assert.Equal(t, "shutdown", s.PowerState)
		e.slowTask(id, `{"action":"restore"}`)
		e.waitServer(id, "restore", func(s serverJSON) bool { return s.Status == "ACTIVE" })
		e.slowTask(id, `{"action":"terminate"}`)
		e.waitServer(id, "terminate", func(s serverJSON) bool { return s.Status == "SOFT_DELETED" })
	}
	start := time.Now()
	e.admin("POST", "/servers/"+id+"/force_delete", "", 204)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if resp, _ := call(t, e.consumer, "GET", "/servers/"+id, ""); resp.StatusCode == http.StatusNotFound {
			t.Logf("force_delete: server %s gone after %s", id, time.Since(start).Round(100*time.Millisecond))
			break
		}
		require.True(t, time.Now().Before(deadline), "server %s still there 2 minutes after force_delete", id)
		time.Sleep(time.Second)
	}
}

// newCloudEnv serves both addresses over httptest on the cloud of the
// OS_* environment.
func newCloudEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := openCloud(ctx, "openstack://", os.Getenv)
	require.NoError(t, err)
	op, err := operator.New(c)
	require.NoError(t, err)
	e := &env{t: t, cloud: c, tasks: newTaskStore(defaultTaskLimits), hits: map[string]bool{}}
	d := &deps{cloud: c, op: op, tasks: e.tasks, taskTimeout: 5 * time.Minute}
	cmux, omux := http.NewServeMux(), http.NewServeMux()
	addConsumerRoutes(cmux, d)
	addOperatorRoutes(omux, d)
	e.consumer = httptest.NewServer(guard(d, cmux))
	e.operator = httptest.NewServer(guard(d, omux))
	t.Cleanup(func() {
		e.consumer.Close()
		e.operator.Close()
		e.tasks.close()
		_ = c.Close()
	})
	return e
}

// slowTask posts a task, waits until it ends (a real cloud takes seconds to
// minutes), and requires it to have succeeded.
func (e *env) slowTask(id, body string) taskJSON {
	e.t.Helper()
	start := time.Now()
	tk := decodeAs[taskJSON](e.t, e.do("POST", "/servers/"+id+"/tasks", body, 202))
	deadline := time.Now().Add(5 * time.Minute)
	for {
		got := decodeAs[taskJSON](e.t, e.do("GET", "/servers/"+id+"/tasks/"+tk.ID, "", 200))
		switch {
		case got.State == taskSucceeded:
			e.t.Logf("task %s succeeded in %s", body, time.Since(start).Round(100*time.Millisecond))
			return got
		case got.State == taskFailed:
			e.t.Fatalf("task %s failed: %s", body, got.Error)
		case time.Now().After(deadline):
			e.t.Fatalf("task %s still %s after 5 minutes", body, got.State)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// waitServer polls GET /servers/{id} until ok says the server is there.
func (e *env) waitServer(id, what string, ok func(serverJSON) bool) serverJSON {
	e.t.Helper()
	start := time.Now()
	deadline := start.Add(3 * time.Minute)
	for {
		s := decodeAs[serverJSON](e.t, e.do("GET", "/servers/"+id, "", 200))
		if ok(s) {
			e.t.Logf("%s: server %s is %s on %s after %s", what, id, s.Status, s.Host, time.Since(start).Round(100*time.Millisecond))
			return s
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: server %s still %s (%s) on %s after 3 minutes; fault %q", what, id, s.Status, s.State, s.Host, s.Fault)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// cleanupServer force-deletes a server when the test ends.
func (e *env) cleanupServer(id string) {
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		in := e.cloud.Instances()
		if _, err := in.ForceDelete(ctx, id); err != nil && perspective.Code(err) != perspective.CodeNotFound {
			e.t.Errorf("cleanup: force delete %s: %v", id, err)
			return
		}
		if _, err := in.WaitFor(ctx, []string{id}, perspective.StateDeleted); err != nil {
			e.t.Errorf("cleanup: %s not gone: %v", id, err)
		}
	})
}

// cleanupImage deletes the images called name when the test ends.
func (e *env) cleanupImage(name string) {
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		imgs, err := e.cloud.Images().List(ctx)
		if err != nil {
			e.t.Errorf("cleanup: list images: %v", err)
			return
		}
		for _, img := range imgs {
			if img.Name == name {
				if _, err := e.cloud.Images().Delete(ctx, img.ID); err != nil {
					e.t.Errorf("cleanup: delete image %s: %v", name, err)
				}
			}
		}
	})
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
