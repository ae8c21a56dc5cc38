"""The admin's workbench for agent descriptions: description check, usage figures, routing
test sets and the routing preview. Pure decisions live in their own modules; the admin
(coordinator/admin.py) and the API only gather rows and render."""
