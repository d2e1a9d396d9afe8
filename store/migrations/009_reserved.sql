-- Reserved: the migration of the change merged before suggestions.
SELECT 1;
