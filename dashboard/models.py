# Models of this app come with its issue.
