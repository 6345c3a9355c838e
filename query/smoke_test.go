package query

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

func TestSmoke(t *testing.T) {
	db := testDB(t)
	for _, sql := range []string{
		"select id, name from projects where name regexp :name: order by name asc",
		"select instances.id, instances.name, projects.name, flavors.name, images.name from instances inner join projects on instances.project_id = projects.id left join flavors on instances.project_id = flavors.project_id and instances.flavor_id = flavors.id left join images on instances.image_id = images.id order by instances.name",
		"explain select instances.id, projects.name from instances, projects where instances.project_id = projects.id and instances.state = 'launched' order by instances.name limit 2",
		"select state, count(*) n from instances group by state order by n desc, state",
		"select * from clouds",
		"select now() is not null, 1+2, concat('a', 1)",
		"select nmae from projects",
		"select id from projects name regexp :name:",
	} {
		res := Exec(context.Background(), PerspectiveSchema(), db, sql, Named("name", "sel|one"))
		b, _ := json.Marshal(res)
		fmt.Println(string(b))
	}
}
