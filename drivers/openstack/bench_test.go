package openstack

import (
	"testing"
)

func BenchmarkNormalizeState(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = NormalizeState("ACTIVE", "image_snapshot", "active")
	}
}

func BenchmarkReplyMessage(b *testing.B) {
	body := fixture(b, "nova_403_quota.json")
	b.ReportAllocs()
	for b.Loop() {
		_ = replyMessage(body)
	}
}
