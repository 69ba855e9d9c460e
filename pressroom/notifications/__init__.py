"""Notifications: in-app messages and mail, written in the transaction of the change that
causes them (a transactional outbox) and sent afterwards by a dispatcher."""
