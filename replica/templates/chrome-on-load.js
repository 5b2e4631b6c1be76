		Liferay.Portlet.register('{{ portlet }}');

	Liferay.Portlet.onLoad(
		{
			canEditTitle: false,
			columnPos: 0,
			isStatic: 'end',
			namespacedId: 'p_p_id_{{ portlet }}_',
			portletId: '{{ portlet }}',
			refreshURL: '{{ url }}',
			refreshURLData: {}
		}
	);
