// Command server serves the Perspective REST API (seeds 000 and 001) over
// one or more clouds, embedding the perspective library as any program
// would. A client written for the original Perspective works against it
// unchanged: the same routes, bodies, instance states and operation names.
//
// Typical use, on the in-memory mock cloud:
//
//	go run ./examples/server                       # http://127.0.0.1:8080/docs
//	go run ./examples/server -addr 127.0.0.1:9000 -cloud 'mock://?delay=2s'
//
// and on OpenStack, from clouds.yaml or a sourced openrc:
//
//	OS_CLOUD=devstack go run ./examples/server
//	go run ./examples/server -cloud 'openstack://?cloud=devstack&region=RegionOne'
//
// Several -cloud flags serve several clouds as one API. The routes are
// listed in routes.go and described by GET /openapi.json and GET /docs.
package main
