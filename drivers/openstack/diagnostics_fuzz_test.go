package openstack

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/perspective-cloud/sdk/driver"
)

// FuzzDiagnostics feeds diagnosticsOf whatever a server might answer: it
// never panics, keeps Raw bounded and valid text.
func FuzzDiagnostics(f *testing.F) {
	f.Add([]byte(`{"state": "running", "num_cpus": 1, "memory_details": {"maximum": 512, "used": 256}, "uptime": 46664}`))
	f.Add([]byte(`{"cpu0_time": 17300000000, "memory": 524288, "vda_read": 262144}`))
	f.Add([]byte(`{"num_cpus": "many", "memory_details": [1], "cpu_details": {}, "uptime": -5, "state": 3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m map[string]any
		if json.Unmarshal(b, &m) != nil {
			return
		}
		d := diagnosticsOf(m)
		if len(d.Raw) > driver.MaxDiagnosticsKeys {
			t.Fatalf("%d raw keys", len(d.Raw))
		}
		for k, v := range d.Raw {
			if !utf8.ValidString(v) || len(v) > maxMessage+4 || len(k) > maxMessage+4 {
				t.Fatalf("raw %q = %q", k, v)
			}
		}
		if d.CPUs < 0 || d.MemoryMiB < 0 || d.Uptime < 0 {
			t.Fatalf("negative figures: %+v", d)
		}
	})
}
