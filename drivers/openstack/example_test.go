package openstack_test

import (
	"fmt"

	"github.com/perspective-cloud/sdk/drivers/openstack"
)

// A Nova server's status, task state and vm state give one normalized state.
func ExampleNormalizeState() {
	fmt.Println(openstack.NormalizeState("ACTIVE", "", "active"))
	fmt.Println(openstack.NormalizeState("ACTIVE", "image_snapshot", "active"))
	fmt.Println(openstack.NormalizeState("SHUTOFF", "powering-on", "stopped"))
	fmt.Println(openstack.NormalizeState("VERIFY_RESIZE", "", "resized"))
	// Output:
	// launched
	// snapshotting
	// starting
	// verify_resize
}

// A standard openrc, as `openstack` and Horizon write it, is read as it is;
// printing the configuration never shows the password.
func ExampleConfigFromEnv() {
	openrc := map[string]string{
		"OS_AUTH_URL":            "http://127.0.0.1:5000/v3",
		"OS_USERNAME":            "demo",
		"OS_PASSWORD":            "demo-secret",
		"OS_PROJECT_NAME":        "demo",
		"OS_USER_DOMAIN_NAME":    "Default",
		"OS_PROJECT_DOMAIN_NAME": "Default",
		"OS_REGION_NAME":         "RegionOne",
	}
	c, err := openstack.ConfigFromEnv(func(k string) string { return openrc[k] })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	// Output:
	// openstack.Config{AuthURL: "http://127.0.0.1:5000/v3", Username: "demo", UserDomainName: "Default", Password: "***", ProjectName: "demo", ProjectDomainName: "Default", Region: "RegionOne"}
}
