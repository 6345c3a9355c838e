package perspective

import (
	"github.com/google/uuid"
)

// Kind names a kind of cloud object; it is part of every global id.
type Kind string

// The kinds of object that have global ids.
const (
	KindInstance Kind = "instance"
	KindImage    Kind = "image"
	KindFlavor   Kind = "flavor"
	KindNetwork  Kind = "network"
	KindKeypair  Kind = "keypair"
	KindProject  Kind = "project"
)

// Namespace is the UUID namespace of global ids. It never changes: a global
// id computed today is the same one computed by any later version.
var Namespace = uuid.MustParse("8f1d5a9e-3c2b-5d7e-9a41-6b0c2e7f4d13")

// GlobalID returns the stable global id of a cloud object: a name-based
// (version 5) UUID of cloudID, kind and realID. The same object always gets
// the same id, across restarts, and objects of different clouds never collide.
func GlobalID(cloudID string, kind Kind, realID string) string {
	name := make([]byte, 0, len(cloudID)+len(kind)+len(realID)+2)
	name = append(name, cloudID...)
	name = append(name, 0)
	name = append(name, kind...)
	name = append(name, 0)
	name = append(name, realID...)
	return uuid.NewSHA1(Namespace, name).String()
}

// Ref is what a global id stands for: the cloud, the kind and the cloud's own id.
type Ref struct {
	CloudID string
	Kind    Kind
	RealID  string
}
