// rows.js: the instances table's rows. No DOM here: the poller worker
// (poller.js) builds rows off the main thread with the same code.

// rowOf flattens an instance of the API for the table.
export function rowOf(i) {
  return {
    id: i.id, name: i.name, state: i.state, project: i.projectId, cloud: i.cloudId,
    flavor: i.flavor ? i.flavor.name || i.flavor.id : '', image: i.image ? i.image.name || i.image.id : '',
    address: (i.address || []).join(', '), created: i.created, locked: i.isLocked, tags: i.tags || [],
  };
}
