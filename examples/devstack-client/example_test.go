package main

import (
	"fmt"
	"strings"
)

// Example_decodeFrom shows what POST /api/v1/server says about a request
// that lacks fields.
func Example_decodeFrom() {
	_, err := decodeFrom[launchRequest](strings.NewReader(`{"name":"vm1","image_id":"cirros-0.6.2"}`))
	fmt.Println(err)
	// Output:
	// request body: flavor_id and network_id are required
}
