"""Pages of the programme records (issue 7): public reading, officers' editing, publishing."""
