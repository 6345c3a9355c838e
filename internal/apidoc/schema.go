package apidoc

// Ref is a reference to the schema of the components called name.
func Ref(name string) Schema { return Schema{"$ref": "#/components/schemas/" + name} }

// ArrayOf is an array of the schema of the components called name.
func ArrayOf(name string) Schema { return Array(Ref(name)) }

// Array is an array of items.
func Array(items Schema) Schema { return Schema{"type": "array", "items": items} }

// String is a string.
func String() Schema { return Schema{"type": "string"} }

// Integer is an integer.
func Integer() Schema { return Schema{"type": "integer"} }

// Boolean is true or false.
func Boolean() Schema { return Schema{"type": "boolean"} }

// DateTime is an RFC 3339 time.
func DateTime() Schema { return Schema{"type": "string", "format": "date-time"} }

// Object is an object with properties.
func Object(properties Schema) Schema { return Schema{"type": "object", "properties": properties} }

// Required marks names as required properties of s, and returns s.
func Required(s Schema, names ...string) Schema {
	s["required"] = names
	return s
}

// Nullable marks s as accepting null, and returns s.
func Nullable(s Schema) Schema {
	s["nullable"] = true
	return s
}
