package libvirt_test

import (
	"fmt"
	"net/url"

	"github.com/perspective-cloud/sdk/drivers/libvirt"
)

// The URL names the libvirt, the namespace of this cloud's domains, the
// pool of its images and disks, the network and the flavor set.
func ExampleParseURL() {
	u, _ := url.Parse("libvirt:///system?pool=perspective&network=perspective&namespace=team-a&flavors=tiny:1:256:1,big:2:2048:10")
	c, err := libvirt.ParseURL(u)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.URI, c.Namespace, c.Pool, c.Network, c.CloudID)
	for _, f := range c.Flavors {
		fmt.Printf("%s: %d vCPU, %d MiB, %d GiB\n", f.ID, f.VCPUs, f.RAM, f.RootDisk)
	}
	// Output:
	// qemu:///system team-a perspective perspective libvirt-team-a
	// tiny: 1 vCPU, 256 MiB, 1 GiB
	// big: 2 vCPU, 2048 MiB, 10 GiB
}
