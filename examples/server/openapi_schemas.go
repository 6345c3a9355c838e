package main

import "github.com/perspective-cloud/sdk/internal/apidoc"

// Builders of OpenAPI schema objects.

func str(desc string) map[string]any {
	s := map[string]any{"type": "string"}
	if desc != "" {
		s["description"] = desc
	}
	return s
}

func integer() map[string]any { return map[string]any{"type": "integer"} }
func number() map[string]any  { return map[string]any{"type": "number"} }
func boolean() map[string]any { return map[string]any{"type": "boolean"} }

func arr(items any) map[string]any { return map[string]any{"type": "array", "items": items} }

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func obj(required []string, props map[string]any) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func dateTime() map[string]any { return map[string]any{"type": "string", "format": "date-time"} }

// maxItemsOf bounds the items of the array schema s, and returns s.
func maxItemsOf(s map[string]any, n int) map[string]any {
	s["maxItems"] = n
	return s
}

// nameSchema is an instance's name as the server accepts it.
func nameSchema(desc string) map[string]any {
	if desc != "" {
		desc += "; "
	}
	s := str(desc + "no control characters and no bidirectional overrides")
	s["minLength"], s["maxLength"] = 1, maxNameBytes
	return s
}

func stringMap() map[string]any {
	return map[string]any{"type": "object", "additionalProperties": str("")}
}

// schemas returns the component schemas of the OpenAPI document.
func schemas() map[string]apidoc.Schema {
	idOrNumber := map[string]any{"oneOf": []any{str(""), number()}}
	return withUISchemas(map[string]apidoc.Schema{ // plus the web application's routes (ui.go)
		"Error": obj([]string{"code", "message"}, map[string]any{
			"code":    str("invalid_argument, not_found, invalid_state, unsupported, quota_exceeded, …"),
			"message": str("what went wrong, on which object, and why"),
		}),
		"IDList": maxItemsOf(arr(str("an id as /query returns it (instances.id, images.id)")), maxItems),
		"Selection": map[string]any{"oneOf": []any{ref("IDList"), obj([]string{"ids"}, map[string]any{
			"ids":      ref("IDList"),
			"name":     str("snapshot: the image name"),
			"flavorId": str("resize: the flavor (flavors.id or name)"),
			"imageId":  str("rebuild: the image (images.id, real id or name)"),
			"tags":     arr(str("")),
			"address":  str("ip: the floating address to add or remove"),
			"network":  str("ip: the external network to allocate from"),
		})}},
		"RenameMap": map[string]any{"type": "object", "additionalProperties": nameSchema("the new name"),
			"maxProperties": maxItems, "description": "instance id → new name"},
		"Metadata": obj(nil, map[string]any{"entry": arr(obj([]string{"key", "value"},
			map[string]any{"key": str(""), "value": str("")}))}),
		"LaunchRequest": maxItemsOf(arr(obj([]string{"name", "flavor", "image"}, map[string]any{
			"cloudId":   str("may be left out with one cloud"),
			"cloudType": str(""),
			"projectId": str("may be left out with one project"),
			"region":    str("picks a region when the project has several"),
			"name":      nameSchema(""),
			"flavor":    obj([]string{"id"}, map[string]any{"id": idOrNumber}),
			"image":     obj([]string{"id"}, map[string]any{"id": str("")}),
			"networks":  arr(obj([]string{"id"}, map[string]any{"id": str("")})),
			"keypairs":  arr(obj([]string{"name"}, map[string]any{"name": str("")})),
			"isLocked":  boolean(),
			"metadata":  ref("Metadata"),
		})), maxItems),
		"ImageRequest": maxItemsOf(arr(obj(nil, map[string]any{
			"cloudId": str(""), "cloudType": str(""),
			"projectId":       map[string]any{"oneOf": []any{str(""), arr(str(""))}},
			"instanceId":      str("snapshot this instance"),
			"name":            str(""),
			"metadata":        ref("Metadata"),
			"visibility":      str("public, private, shared or community"),
			"minDisk":         integer(),
			"minRam":          integer(),
			"diskFormat":      str(""),
			"containerFormat": str(""),
		})), maxItems),
		"ImageChanges": maxItemsOf(arr(obj([]string{"id"}, map[string]any{
			"id": str(""), "name": str(""), "visibility": str(""), "minDisk": integer(), "minRam": integer(),
			"metadata": ref("Metadata"), "removeMetadata": arr(str("")),
		})), maxItems),
		"KeypairRequest": obj([]string{"name"}, map[string]any{"name": str(""), "publicKey": str("empty: generate one")}),
		"Flavor": obj(nil, map[string]any{"id": str(""), "name": str(""), "ram": integer(), "vcpus": integer(),
			"rootDisk": integer(), "ephemeralDisk": integer(), "hasSwap": boolean(), "isPublic": boolean()}),
		"Image": obj(nil, map[string]any{"id": str(""), "realId": str(""), "timestamp": dateTime(), "created": dateTime(),
			"cloudId": str(""), "cloudType": str(""), "name": str(""), "state": str("queued, saving, saved, deleting, error, …"),
			"metadata": ref("Metadata"), "projectId": arr(str(""))}),
		"ImageList": arr(ref("Image")),
		"Network": obj(nil, map[string]any{"id": str(""), "name": str(""), "state": str(""), "isShared": boolean(),
			"subnets": arr(obj(nil, map[string]any{"id": str(""), "name": str(""), "cidr": str(""),
				"protocolVersion": integer(), "gateway": str(""), "isDhcpEnabled": boolean()}))}),
		"Instance": obj(nil, map[string]any{"id": str(""), "realId": str(""), "timestamp": dateTime(), "created": dateTime(),
			"cloudId": str(""), "cloudType": str(""), "projectId": str(""), "name": str(""),
			"flavor": ref("Flavor"), "image": ref("Image"),
			"keypair":  obj(nil, map[string]any{"name": str(""), "fingerprint": str(""), "publicKey": str("")}),
			"state":    str("queued, launching, launched, rebooting, hard_rebooting, shutting_down, shutoff, starting, pausing, paused, resuming, suspending, suspended, resizing, rebuilding, snapshotting, migrating, deleting, error, verify_resize, reverting_resize, shelved, deleted, unknown"),
			"isLocked": boolean(), "metadata": ref("Metadata"), "address": arr(str("")),
			"networks": arr(ref("Network")), "errorReason": str("the cloud's fault message, in error only")}),
		"InstanceList": arr(ref("Instance")),
		"Event": obj([]string{"kind"}, map[string]any{
			"kind": str("created (new), changed (old and new), deleted (old: as last seen), " +
				"resync (the client fell behind: forget what you hold, snapshot events follow), snapshot (new: an instance as it is now)"),
			"cloudId": str(""), "id": str("the instance's id"), "old": ref("Instance"), "new": ref("Instance")}),
		"Result": obj([]string{"id", "state"}, map[string]any{
			"id":    str("the item's id (for a launch, the new instance's, or its name when it failed)"),
			"state": str("pending, succeeded or failed"), "status": integer(), "code": str(""), "message": str(""),
			"instance": ref("Instance"), "image": ref("Image"), "address": str(""),
			"attempts": integer(), "durationMs": number()}),
		"Task": obj([]string{"task", "operation", "state", "results"}, map[string]any{
			"task": str("the task id: GET /tasks/{id}"), "operation": str("e.g. rebootInstance"),
			"state": str("running, succeeded, partial or failed"), "total": integer(), "done": integer(),
			"succeeded": integer(), "failed": integer(), "created": dateTime(), "finished": dateTime(),
			"code": str("when the call failed as a whole"), "message": str(""), "results": arr(ref("Result"))}),
		"TaskSummaryList": arr(obj(nil, map[string]any{"task": str(""), "operation": str(""), "state": str(""),
			"total": integer(), "done": integer()})),
		"Keypair": obj(nil, map[string]any{"name": str(""), "cloudId": str(""), "projectId": str(""),
			"fingerprint": str(""), "publicKey": str(""), "privateKey": str("only when generated, only once"), "type": str("")}),
		"KeypairList": arr(ref("Keypair")),
		"ProjectList": arr(obj(nil, map[string]any{"id": str(""), "name": str(""), "cloudId": str(""), "cloudType": str(""),
			"regions": arr(obj(nil, map[string]any{"id": str(""), "description": str("")})), "metadata": stringMap()})),
		"EndpointList": arr(obj(nil, map[string]any{"service": str(""), "name": str(""), "interface": str(""),
			"region": str(""), "url": str("")})),
		"Operations": map[string]any{"type": "object", "additionalProperties": arr(str("")),
			"description": "cloud type → operations, e.g. {\"openstack\": [\"addInstance\", \"rebootInstance\"]}"},
		"QueryRequest": maxItemsOf(arr(obj([]string{"sql"}, map[string]any{"sql": str(""),
			"parameters": arr(obj([]string{"name", "value"}, map[string]any{"name": str(""), "value": str("")}))})), maxQueries),
		"QueryResponse": arr(obj([]string{"status", "count", "data", "message"}, map[string]any{
			"status": str("success, syntax_error, missing_parameters or evaluation_error"), "count": integer(),
			"data": obj(nil, map[string]any{"columnName": arr(str("")),
				"row": arr(obj(nil, map[string]any{"value": arr(map[string]any{})}))}),
			"message": str("")})),
		"OpenAPI": map[string]any{"type": "object", "description": "an OpenAPI 3 document"},
		"FailedClouds": obj([]string{"clouds", "answered", "failed"}, map[string]any{
			"clouds":   integer(),
			"answered": integer(),
			"failed": maxItemsOf(arr(obj([]string{"cloudId", "code", "message"}, map[string]any{
				"cloudId": str(""), "projectId": str(""), "projectName": str(""), "region": str(""),
				"code": str("the error's code, as in Error"), "message": str("cut to 160 bytes")})), maxFailedNamed),
			"omitted": map[string]any{"type": "integer", "description": "how many more failed clouds are not named"},
		}),
	})
}
