package perspective

import "github.com/perspective-cloud/sdk/driver"

// Keypair is an SSH keypair known to a cloud. PrivateKey is set only in the
// reply to a Create that generated the key: the cloud keeps no copy.
type Keypair struct {
	Name        string `json:"name"`
	CloudID     string `json:"cloudId,omitempty"`
	ProjectID   string `json:"projectId,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	PublicKey   string `json:"publicKey,omitempty"`
	PrivateKey  string `json:"privateKey,omitempty"`
	Type        string `json:"type,omitempty"`
}

// KeypairSpec describes a keypair to add: with PublicKey empty the cloud
// generates one and returns its private key once.
type KeypairSpec = driver.KeypairSpec
