package main

import (
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// The answers speak vNext's vocabulary (snake_case, servers and server
// types, the cloud's own ids).

// projectJSON is a project the credentials see.
type projectJSON struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Regions []string `json:"regions"`
}

func projectOf(p perspective.Project) projectJSON {
	out := projectJSON{ID: p.ID, Name: p.Name, Regions: make([]string, 0, len(p.Regions))}
	for _, r := range p.Regions {
		out.Regions = append(out.Regions, r.ID)
	}
	return out
}

// imageJSON is an image a server can be launched from.
type imageJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Status     string            `json:"status"`
	Visibility string            `json:"visibility,omitempty"`
	Size       int64             `json:"size"`
	MinDisk    int               `json:"min_disk"`
	MinRAM     int               `json:"min_ram"`
	Metadata   map[string]string `json:"metadata,omitempty"`
	Created    time.Time         `json:"created"`
	Updated    time.Time         `json:"updated"`
}

func imageOf(img perspective.Image) imageJSON {
	return imageJSON{ID: img.RealID, Name: img.Name, Status: string(img.State), Visibility: img.Visibility,
		Size: img.Size, MinDisk: img.MinDisk, MinRAM: img.MinRAM, Metadata: img.Metadata,
		Created: img.Created, Updated: img.Updated}
}

// serverTypeJSON is a server type (a flavor): RAM in MiB, disks in GiB.
// Tags and share are read for one server type only (GET
// /server_types/{id}), and only when the credentials may read them.
type serverTypeJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	VCPUs       int      `json:"vcpus"`
	RAM         int      `json:"ram"`
	Disk        int      `json:"disk"`
	Ephemeral   int      `json:"ephemeral"`
	Swap        int      `json:"swap"`
	Public      bool     `json:"public"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Share       []string `json:"share,omitempty"`
}

func serverTypeOf(f perspective.Flavor) serverTypeJSON {
	return serverTypeJSON{ID: f.ID, Name: f.Name, VCPUs: f.VCPUs, RAM: f.RAM, Disk: f.RootDisk,
		Ephemeral: f.EphemeralDisk, Swap: f.Swap, Public: f.IsPublic, Description: f.Notes}
}

// ref is an object a server refers to: its id and name.
type ref struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// addressJSON is one address of a server on one network.
type addressJSON struct {
	Addr    string `json:"addr"`
	Type    string `json:"type"`
	Version int    `json:"version"`
}

// serverJSON is a server. Status is the cloud's word for its virt state
// (ACTIVE, SHUTOFF, …), state the library's normalized one, power_state
// what the hypervisor would say (running, paused, suspended, shutdown,
// nostate). Host is there when the credentials may see it.
type serverJSON struct {
	ID         string                   `json:"id"`
	Name       string                   `json:"name"`
	Project    string                   `json:"project"`
	Status     string                   `json:"status"`
	State      perspective.State        `json:"state"`
	PowerState string                   `json:"power_state"`
	ServerType *ref                     `json:"server_type"`
	Image      *ref                     `json:"image"`
	Addresses  map[string][]addressJSON `json:"addresses"`
	Metadata   map[string]string        `json:"metadata"`
	Tags       []string                 `json:"tags"`
	Locked     bool                     `json:"locked"`
	Host       string                   `json:"host,omitempty"`
	Fault      string                   `json:"fault,omitempty"`
	Created    time.Time                `json:"created"`
	Updated    time.Time                `json:"updated"`
}

func serverOf(inst perspective.Instance) serverJSON {
	out := serverJSON{ID: inst.RealID, Name: inst.Name, Project: inst.ProjectID, Status: inst.Status, State: inst.State,
		PowerState: powerState(inst.State), Addresses: map[string][]addressJSON{}, Metadata: map[string]string{},
		Tags: []string{}, Locked: inst.Locked, Host: inst.Host, Fault: inst.Fault, Created: inst.Created, Updated: inst.Updated}
	if out.Status == "" {
		out.Status = string(inst.State)
	}
	if inst.Flavor != nil {
		out.ServerType = &ref{ID: inst.Flavor.ID, Name: inst.Flavor.Name}
	}
	if inst.Image != nil {
		out.Image = &ref{ID: inst.Image.RealID, Name: inst.Image.Name}
	}
	for k, v := range inst.Metadata {
		out.Metadata[k] = v
	}
	out.Tags = append(out.Tags, inst.Tags...)
	for _, a := range inst.Addresses {
		out.Addresses[a.Network] = append(out.Addresses[a.Network], addressJSON{Addr: a.IP, Type: string(a.Kind), Version: a.Version})
	}
	return out
}

// powerState says what the hypervisor would report of a server in state s.
func powerState(s perspective.State) string {
	switch s {
	case perspective.StatePaused:
		return "paused"
	case perspective.StateSuspended:
		return "suspended"
	case perspective.StateShutoff, perspective.StateShelved, perspective.StateShelvedOffloaded,
		perspective.StateSoftDeleted, perspective.StateDeleted:
		return "shutdown"
	case perspective.StateQueued, perspective.StateLaunching, perspective.StateError, perspective.StateUnknown:
		return "nostate"
	}
	return "running"
}

// launchedJSON answers a launch: the servers it started, and the error of
// each one the cloud refused.
type launchedJSON struct {
	Servers []serverJSON  `json:"servers"`
	Failed  []errorDetail `json:"failed,omitempty"`
}

// diagnosticsJSON is what the hypervisor reports of one server.
type diagnosticsJSON struct {
	Server        string            `json:"server"`
	State         string            `json:"state,omitempty"`
	Driver        string            `json:"driver,omitempty"`
	Hypervisor    string            `json:"hypervisor,omitempty"`
	HypervisorOS  string            `json:"hypervisor_os,omitempty"`
	UptimeSeconds int64             `json:"uptime_seconds"`
	ConfigDrive   bool              `json:"config_drive"`
	CPUs          int               `json:"num_cpus"`
	NICs          int               `json:"num_nics"`
	Disks         int               `json:"num_disks"`
	MemoryMiB     int               `json:"memory_mib"`
	MemoryUsedMiB int               `json:"memory_used_mib"`
	Raw           map[string]string `json:"raw,omitempty"`
}

func diagnosticsOf(server string, d perspective.Diagnostics) diagnosticsJSON {
	return diagnosticsJSON{Server: server, State: d.State, Driver: d.Driver, Hypervisor: d.Hypervisor,
		HypervisorOS: d.HypervisorOS, UptimeSeconds: int64(d.Uptime.Seconds()), ConfigDrive: d.ConfigDrive,
		CPUs: d.CPUs, NICs: d.NICs, Disks: d.Disks, MemoryMiB: d.MemoryMiB, MemoryUsedMiB: d.MemoryUsed, Raw: d.Raw}
}
