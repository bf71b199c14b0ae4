"""The pages of ideas: the list, an idea's page, people's writes and the staff's actions."""
