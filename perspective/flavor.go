package perspective

// Flavor is an instance size. RAM is in MiB, disks in GiB, Swap in MiB.
// Its ID is the cloud's own: unique within the cloud and project.
type Flavor struct {
	ID            string `json:"id"`
	CloudID       string `json:"cloudId,omitempty"`
	ProjectID     string `json:"projectId,omitempty"`
	Name          string `json:"name"`
	RAM           int    `json:"ram"`
	VCPUs         int    `json:"vcpus"`
	RootDisk      int    `json:"rootDisk"`
	EphemeralDisk int    `json:"ephemeralDisk"`
	Swap          int    `json:"swap"`
	IsPublic      bool   `json:"isPublic"`
	Notes         string `json:"notes,omitempty"`
}

// HasSwap reports whether the flavor has a swap disk.
func (f Flavor) HasSwap() bool { return f.Swap > 0 }

// Clone returns a copy of f.
func (f Flavor) Clone() Flavor { return f }
