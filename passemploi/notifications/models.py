"""Notifications: in-app notices, email, reminders and the task queue that sends them."""
