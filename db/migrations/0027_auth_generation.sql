-- A counter that moves whenever an account or a session row changes (a logout, a password or role
-- change, a deactivation, a session touched or ended, by this desk or by sync): the router keeps
-- checked sessions in memory and trusts one only while this number is what it was when checked.
CREATE TABLE `auth_generation` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1), `n` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `auth_generation` (`id`, `n`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `auth_generation_users_insert` AFTER INSERT ON `users` BEGIN UPDATE `auth_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_generation_users_update` AFTER UPDATE ON `users` BEGIN UPDATE `auth_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_generation_users_delete` AFTER DELETE ON `users` BEGIN UPDATE `auth_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_generation_sessions_update` AFTER UPDATE ON `sessions` BEGIN UPDATE `auth_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_generation_sessions_delete` AFTER DELETE ON `sessions` BEGIN UPDATE `auth_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
