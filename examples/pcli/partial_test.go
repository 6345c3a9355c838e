package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// pclitest://HOST?…&vms=N is mock://HOST?… with N instances named
// vm-HOST-1 … vm-HOST-N launched already (through the driver, so that
// they need no listing), beside a mock cloud whose listing fails.
func init() {
	perspective.Register("pclitest", func(ctx context.Context, u *url.URL) (driver.Driver, error) {
		q := u.Query()
		n, err := strconv.Atoi(q.Get("vms"))
		if err != nil {
			return nil, driver.Errorf(driver.CodeInvalidArgument, "pclitest: vms=%q", q.Get("vms"))
		}
		q.Del("vms")
		mu := *u
		mu.Scheme, mu.RawQuery = "mock", q.Encode()
		d, err := mock.Open(ctx, &mu)
		if err != nil {
			return nil, err
		}
		_, err = d.LaunchInstances(ctx, driver.LaunchSpec{Name: "vm-" + u.Host, Count: n, FlavorID: "1",
			ImageID: "00000000-0000-4000-8000-000000000001"})
		return d, err
	})
}

// TestListingNamesTheCloudsThatDoNotAnswer: every listing prints the
// rows of the clouds that answered, names the others on stderr and exits
// 1; commands that look instances up go on with the clouds that answered.
func TestListingNamesTheCloudsThatDoNotAnswer(t *testing.T) {
	t.Setenv("OS_AUTH_URL", "")
	t.Setenv("OS_CLOUD", "")
	got := runPCLI(t, "", with(partlyFailing, "list", "instances", "-o", "json")...)
	assert.Equal(t, exitFailed, got.code)
	var list []struct{ Name, CloudID string }
	require.NoError(t, json.Unmarshal([]byte(got.stdout), &list), "%s", got.stdout)
	var names []string
	for _, in := range list {
		names = append(names, in.Name)
	}
	assert.Equal(t, []string{"vm-a-1", "vm-a-2", "vm-b-1", "vm-b-2"}, names)
	assert.Equal(t, "pcli: not listed: cloud c (project db, region R1): list instance: mock: ListInstances fails with forbidden "+
		"(URL parameter fail=ListInstances:forbidden)\n", got.stderr)

	// --project narrows the failed clouds named too
	got = runPCLI(t, "", with(partlyFailing, "--project", "web", "list", "instances", "-o", "json")...)
	assert.Equal(t, exitOK, got.code, "%s", got.stderr)
	assert.Empty(t, got.stderr)

	// a name in a cloud that answered is acted on; the failed one is named
	got = runPCLI(t, "", with(partlyFailing, "reboot", "vm-b-2")...)
	assert.Equal(t, exitOK, got.code, "%s", got.stderr)
	assert.Contains(t, got.stderr, "pcli: not searched: cloud c (project db, region R1)")
	assert.Contains(t, got.stdout+got.stderr, "1 succeeded")
	got = runPCLI(t, "", with(partlyFailing, "reboot", "--where", "name LIKE 'vm-a-%'")...)
	assert.Equal(t, exitOK, got.code, "%s", got.stderr)
	assert.Contains(t, got.stdout+got.stderr, "2 succeeded")
	assert.Equal(t, 1, strings.Count(got.stderr, "not searched: cloud c"))
}
