Liferay.on(
	'{{ event }}', function(event) {
		if (window.Analytics) {
			Analytics.send(
				'{{ action }}',
				'Form',
				{
					{{ fields }}
					formId: event.formId
				}
			);
		}
	}
);
