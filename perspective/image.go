package perspective

import (
	"github.com/perspective-cloud/sdk/driver"
	"maps"
	"time"
)

// ImageState is the normalized state of an image.
type ImageState = driver.ImageState

// Image states; "saved" is the original Perspective's word for a usable image.
const (
	ImageQueued   = driver.ImageQueued
	ImageSaving   = driver.ImageSaving
	ImageSaved    = driver.ImageSaved
	ImageDeleting = driver.ImageDeleting
	ImageDeleted  = driver.ImageDeleted
	ImageError    = driver.ImageError
	ImageUnknown  = driver.ImageUnknown
)

// Image is a bootable image.
type Image struct {
	ID         string            `json:"id"`
	RealID     string            `json:"realId"`
	CloudID    string            `json:"cloudId,omitempty"`
	CloudType  string            `json:"cloudType,omitempty"`
	ProjectID  string            `json:"projectId,omitempty"`
	Name       string            `json:"name"`
	State      ImageState        `json:"state,omitempty"`
	Status     string            `json:"status,omitempty"`
	Visibility string            `json:"visibility,omitempty"`
	Size       int64             `json:"size,omitempty"`
	MinDisk    int               `json:"minDisk,omitempty"`
	MinRAM     int               `json:"minRam,omitempty"`
	Checksum   string            `json:"checksum,omitempty"`
	Metadata   map[string]string `json:"metadata,omitempty"`
	Created    time.Time         `json:"created"`
	Updated    time.Time         `json:"timestamp"`
}

// Clone returns a deep copy of img.
func (img Image) Clone() Image {
	c := img
	c.Metadata = maps.Clone(img.Metadata)
	return c
}

// ImageSpec describes an image to add. Data, when not nil, is uploaded.
type ImageSpec = driver.ImageSpec

// ImageUpdate changes an image: nil fields stay as they are; Metadata keys
// are set, RemoveMetadata keys are removed.
type ImageUpdate = driver.ImageUpdate
